using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tickets.Tests.ServerApi;

/// <summary>One measurement: the instrument's name, the value and its tags.</summary>
internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? this[string tag] => Tags.TryGetValue(tag, out var value) ? value : null;
}

/// <summary>
/// An <see cref="IMeterFactory"/> whose meters a <see cref="MeterListener"/> watches, and only those: tests running at the
/// same time, whose servers report to the shared meter or to their own factory, do not add to what this one sees.
/// </summary>
internal sealed class MetricsRecorder : IMeterFactory
{
    private readonly List<Meter> meters = [];
    private readonly MeterListener listener = new();

    public MetricsRecorder()
    {
        listener.InstrumentPublished = (instrument, subscriber) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this))
            {
                subscriber.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public ConcurrentQueue<Measured> Measurements { get; } = new();

    public Meter Create(MeterOptions options)
    {
        options.Scope = this;
        var meter = new Meter(options);
        lock (meters)
        {
            meters.Add(meter);
        }

        return meter;
    }

    /// <summary>The measurements of <paramref name="instrument"/> so far.</summary>
    public Measured[] Of(string instrument) => Measurements.Where(measured => measured.Instrument == instrument).ToArray();

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags satisfy <paramref name="match"/>.</summary>
    public double Sum(string instrument, Func<Measured, bool>? match = null) =>
        Of(instrument).Where(measured => match?.Invoke(measured) ?? true).Sum(measured => measured.Value);

    /// <summary>The current value of an observable instrument (asks its callback now).</summary>
    public double Observe(string instrument)
    {
        var before = Of(instrument).Length;
        listener.RecordObservableInstruments();
        var observed = Of(instrument);
        Assert.True(observed.Length > before, $"{instrument} was not observed");
        return observed[^1].Value;
    }

    public void Dispose()
    {
        listener.Dispose();
        lock (meters)
        {
            foreach (var meter in meters)
            {
                meter.Dispose();
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new Measured(instrument.Name, value, copy));
    }
}
