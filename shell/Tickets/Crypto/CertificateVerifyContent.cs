namespace Tickets.Crypto;

/// <summary>Whose CertificateVerify is signed: the context string differs so one cannot be replayed as the other.</summary>
internal enum CertificateVerifyRole { Server, Client }

/// <summary>
/// The bytes a CertificateVerify signature covers (RFC 8446 §4.4.3): 64 spaces, the context string,
/// a zero byte, then the transcript hash. The 64-byte prefix keeps the signed data from ever looking
/// like a TLS 1.2 ServerKeyExchange.
/// </summary>
internal static class CertificateVerifyContent
{
    private const int PrefixLength = 64;
    private static ReadOnlySpan<byte> ServerContext => "TLS 1.3, server CertificateVerify"u8;
    private static ReadOnlySpan<byte> ClientContext => "TLS 1.3, client CertificateVerify"u8;

    public static byte[] Build(CertificateVerifyRole role, ReadOnlySpan<byte> transcriptHash)
    {
        var context = role == CertificateVerifyRole.Server ? ServerContext : ClientContext;
        var content = new byte[PrefixLength + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, PrefixLength).Fill(0x20);
        context.CopyTo(content.AsSpan(PrefixLength));
        content[PrefixLength + context.Length] = 0;
        transcriptHash.CopyTo(content.AsSpan(PrefixLength + context.Length + 1));
        return content;
    }
}
