using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Handshake;

/// <summary>
/// Where a handshake gets its randomness: the ServerHello random and the ephemeral key pair. Always the
/// system generator in production; tests substitute fixed values to replay published traces (RFC 8448).
/// </summary>
internal sealed record HandshakeEntropy(Func<int, byte[]> RandomBytes, Func<NamedGroup, KeyExchange> CreateKeyExchange)
{
    public static HandshakeEntropy System { get; } = new(RandomNumberGenerator.GetBytes, KeyExchange.Create);
}
