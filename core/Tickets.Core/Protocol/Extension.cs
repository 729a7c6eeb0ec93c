namespace Tickets.Core.Protocol;

/// <summary>One extension as it appeared on the wire: its code point and its undecoded body.</summary>
public sealed record Extension(ExtensionType Type, byte[] Data);
