namespace Tickets.Tests;

/// <summary>
/// An entropy source that gives fixed bytes for the uses a test names (e.g. the ServerHello random and the x25519 key of
/// an RFC 8448 trace) and random bytes for every other use, so a test fixes only what it needs.
/// </summary>
internal sealed class ScriptedEntropy : EntropySource
{
    private readonly Dictionary<EntropyUse, byte[]> fixedBytes = [];

    /// <summary>The bytes every draw for <paramref name="use"/> returns; a draw of another length fails the test.</summary>
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

        Assert.Equal(bytes.Length, destination.Length);
        bytes.CopyTo(destination);
    }
}
