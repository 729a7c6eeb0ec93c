using System.Security.Cryptography;

namespace Tickets.Records;

/// <summary>
/// Writes secrets in the NSS key log format (label, client random, secret, all hex) so Wireshark can
/// decrypt a capture. Only active when the server context has a key log writer or a trace that was explicitly
/// allowed secrets: they never go anywhere else.
/// </summary>
internal sealed class KeyLog(TextWriter? writer, Core.Bytes clientRandom, Trace.ConnectionTrace? trace = null)
{
    public bool Enabled => writer is not null || trace is { SecretsEnabled: true };

    public void Write(string label, ReadOnlySpan<byte> secret)
    {
        // The trace reports secrets only when they were asked for explicitly (TraceTrafficSecrets).
        trace?.TrafficSecret(label, secret);
        if (writer is null)
        {
            return;
        }

        var line = $"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}";
        // Several connections share one writer; one line at a time keeps lines whole.
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public static KeyLog Disabled { get; } = new(null, RandomNumberGenerator.GetBytes(32));
}
