namespace Tickets.Core.Protocol;

/// <summary>The single field of a KeyUpdate message (RFC 8446 §4.6.3).</summary>
public enum KeyUpdateRequest : byte
{
    UpdateNotRequested = 0,
    UpdateRequested = 1,
}
