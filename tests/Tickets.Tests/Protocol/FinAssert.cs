using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>Assertions over Fin results that fail with the error text, so a red test says why.</summary>
internal static class FinAssert
{
    public static T Succeeds<T>(Fin<T> result) =>
        result.Match(Succ: value => value, Fail: error => throw new Xunit.Sdk.XunitException($"expected success, got {error}"));

    public static AlertError FailsWith<T>(AlertDescription expected, Fin<T> result)
    {
        var error = result.Match(
            Succ: value => throw new Xunit.Sdk.XunitException($"expected {AlertNames.Of(expected)}, got success: {value}"),
            Fail: error => error);
        var alert = Assert.IsType<AlertError>(error);
        Assert.True(alert.Alert == expected, $"expected {AlertNames.Of(expected)}, got {alert}");
        return alert;
    }
}
