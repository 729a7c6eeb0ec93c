namespace Tickets.Tests.KeysAndReuse;

/// <summary>
/// Reads and edits the PEM session files s_client writes (-sess_out): DER SSL_SESSION inside PEM armour. Edits keep
/// every length unchanged, so the DER stays valid and s_client loads the file as if it had written it.
/// </summary>
internal static class SessionFile
{
    private const string Begin = "-----BEGIN SSL SESSION PARAMETERS-----";
    private const string End = "-----END SSL SESSION PARAMETERS-----";

    public static byte[] ReadDer(string path)
    {
        var pem = File.ReadAllText(path);
        var start = pem.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        var body = pem[start..pem.IndexOf(End, StringComparison.Ordinal)];
        return Convert.FromBase64String(body.Replace("\n", string.Empty).Replace("\r", string.Empty));
    }

    public static string WriteDer(string path, byte[] der)
    {
        File.WriteAllText(path, $"{Begin}\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n{End}\n");
        return path;
    }

    /// <summary>
    /// The ticket in the session: OpenSSL stores it as [10] EXPLICIT OCTET STRING (SSL_SESSION_ASN1's tlsext_tick). A
    /// scan for that tag whose inner OCTET STRING fills it exactly is unambiguous enough for these small files.
    /// </summary>
    public static byte[] Ticket(string path)
    {
        var der = ReadDer(path);
        for (var at = 0; at < der.Length - 4; at++)
        {
            if (der[at] != 0xAA || !TryLength(der, at + 1, out var outer, out var outerHeader))
            {
                continue;
            }

            var inner = at + 1 + outerHeader;
            if (inner < der.Length && der[inner] == 0x04 && TryLength(der, inner + 1, out var length, out var innerHeader)
                && 1 + innerHeader + length == outer && inner + 1 + innerHeader + length <= der.Length)
            {
                return der.AsSpan(inner + 1 + innerHeader, length).ToArray();
            }
        }

        throw new Xunit.Sdk.XunitException($"no ticket found in {path}");
    }

    // DER definite lengths: short form, or 0x81/0x82 followed by one or two bytes.
    private static bool TryLength(byte[] der, int at, out int length, out int headerBytes)
    {
        length = 0;
        headerBytes = 0;
        if (at >= der.Length)
        {
            return false;
        }

        if (der[at] < 0x80)
        {
            (length, headerBytes) = (der[at], 1);
            return true;
        }

        var count = der[at] & 0x7F;
        if (count is < 1 or > 2 || at + count >= der.Length)
        {
            return false;
        }

        for (var i = 1; i <= count; i++)
        {
            length = (length << 8) | der[at + i];
        }

        headerBytes = 1 + count;
        return true;
    }

    /// <summary>A copy of the session whose ticket has one byte flipped at <paramref name="offset"/> into the ticket.</summary>
    public static string WithTicketByteFlipped(string path, byte[] ticketStart, int offset, string to)
    {
        var der = ReadDer(path);
        var at = der.AsSpan().IndexOf(ticketStart);
        Assert.True(at >= 0, "the session file does not hold the expected ticket");
        der[at + offset] ^= 0x01;
        return WriteDer(to, der);
    }

    /// <summary>
    /// A copy of the session with a larger ticket_lifetime_hint ([9] INTEGER), so s_client still offers a ticket the
    /// server considers expired; the lifetime sealed inside the ticket is untouched and is what the server checks.
    /// </summary>
    public static string WithLifetimeHint(string path, byte from, byte to, string copy)
    {
        var der = ReadDer(path);
        byte[] field = [0xA9, 0x03, 0x02, 0x01, from];
        var at = der.AsSpan().IndexOf(field);
        Assert.True(at >= 0 && der.AsSpan(at + 1).IndexOf(field) < 0, "expected exactly one lifetime hint field");
        der[at + 4] = to;
        return WriteDer(copy, der);
    }
}
