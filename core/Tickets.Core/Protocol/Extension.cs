namespace Tickets.Core.Protocol;

/// <summary>One extension as it appeared on the wire: its code point and its undecoded body.</summary>
/// <param name="Type">The extension's code point; values this server does not know stay plain numbers.</param>
/// <param name="Data">The extension_data bytes, without the type and length in front of them.</param>
public sealed record Extension(ExtensionType Type, Bytes Data);
