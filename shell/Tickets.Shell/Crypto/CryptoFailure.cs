using LanguageExt.Common;

namespace Tickets.Shell.Crypto;

/// <summary>Builds the errors crypto operations fail with, carrying the RFC 8446 alert to send.</summary>
internal static class CryptoFailure
{
    private const int IllegalParameterCode = 47;

    /// <summary>The peer sent a value that is well-formed on the wire but cryptographically unusable.</summary>
    public static Error IllegalParameter(string reason) => Error.New(IllegalParameterCode, $"illegal_parameter: {reason}");
}
