namespace Tickets.Core.Protocol;

/// <summary>Alert levels (RFC 8446 §6). TLS 1.3 treats every error alert as fatal regardless of level.</summary>
public enum AlertLevel : byte
{
    /// <summary>warning: sent with close_notify and user_canceled.</summary>
    Warning = 1,

    /// <summary>fatal: sent with every error alert.</summary>
    Fatal = 2,
}
