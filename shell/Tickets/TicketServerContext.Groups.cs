using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets;

/// <summary>Which key exchange groups the server uses, and in which order it prefers them.</summary>
public sealed partial class TicketServerContext
{
    private EquatableArray<NamedGroup> groups = ServerPreferences.DefaultGroups;

    /// <summary>
    /// ≈ SSL_CTX_set1_groups: the groups a handshake may use, most preferred first (default
    /// <see cref="ServerPreferences.DefaultGroups"/>: X25519MLKEM768, x25519, secp256r1, x448, secp521r1, secp384r1,
    /// ffdhe2048 ... ffdhe8192). Among the key shares a client sent, the first group here wins; when it sent none we can
    /// use, a HelloRetryRequest asks for the first group here that its supported_groups lists. Applies to handshakes
    /// starting afterwards. Setting an empty list, a group named twice or one <see cref="KeyExchange.IsSupported"/>
    /// denies throws <see cref="ArgumentException"/> and changes nothing. <see cref="GroupNames.ParseList"/> reads
    /// OpenSSL's spelling ("X25519MLKEM768:x25519:P-256").
    /// </summary>
    public IReadOnlyList<NamedGroup> Groups
    {
        get
        {
            lock (gate)
            {
                return groups;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var list = value.ToArray();
            if (list.Length == 0)
            {
                throw new ArgumentException("At least one key exchange group is needed.", nameof(value));
            }

            foreach (var group in list)
            {
                if (!KeyExchange.IsSupported(group))
                {
                    throw new ArgumentException($"Group {GroupNames.Name(group)} is not supported.", nameof(value));
                }
            }

            if (list.Distinct().Count() != list.Length)
            {
                throw new ArgumentException("A group is listed twice.", nameof(value));
            }

            lock (gate)
            {
                groups = EquatableArray.Create<NamedGroup>(list);
            }
        }
    }

    /// <summary>The groups as the handshake's negotiation takes them (no copy per handshake).</summary>
    internal EquatableArray<NamedGroup> GroupPreference
    {
        get
        {
            lock (gate)
            {
                return groups;
            }
        }
    }
}
