namespace Tickets.Core.Protocol;

/// <summary>The single field of a KeyUpdate message (RFC 8446 §4.6.3).</summary>
public enum KeyUpdateRequest : byte
{
    /// <summary>update_not_requested: the receiver need not update its own sending key.</summary>
    UpdateNotRequested = 0,

    /// <summary>update_requested: the receiver must answer with a KeyUpdate of its own.</summary>
    UpdateRequested = 1,
}
