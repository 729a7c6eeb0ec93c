namespace Tickets.Core.Protocol;

/// <summary>Alert levels (RFC 8446 §6). TLS 1.3 treats every error alert as fatal regardless of level.</summary>
public enum AlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}
