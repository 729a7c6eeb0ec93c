namespace Tickets.Tests;

/// <summary>
/// An entropy source that gives fixed bytes for the uses a test names (e.g. the ServerHello random and the x25519 key of
/// an RFC 8448 trace) and random bytes for every other use, so a test fixes only what it needs.
/// </summary>
internal sealed class ScriptedEntropy : EntropySource
{
    private readonly Dictionary<EntropyUse, byte[]> fixedBytes = [];

    /// <summary>
    /// The bytes every draw for <paramref name="use"/> returns. A draw for several values at once (a flight's age_adds)
    /// gets them repeated, one copy per value; a draw whose length is not a multiple of theirs fails the test.
    /// </summary>
    public byte[] this[EntropyUse use]
    {
        set => fixedBytes[use] = value;
    }

    /// <inheritdoc />
    public override void Fill(Span<byte> destination, EntropyUse use)
    {
        if (!fixedBytes.TryGetValue(use, out var bytes))
        {
            base.Fill(destination, use);
            return;
        }

        Assert.True(destination.Length > 0 && destination.Length % bytes.Length == 0,
            $"a draw of {destination.Length} bytes for {use}, which is fixed to {bytes.Length}");
        for (var offset = 0; offset < destination.Length; offset += bytes.Length)
        {
            bytes.CopyTo(destination[offset..]);
        }
    }
}
