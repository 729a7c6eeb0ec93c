using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Protocol;

/// <summary>
/// Seeded random corruption of real messages: whatever the bytes, decoders and the negotiator return a
/// result (never throw), and every failure names an alert.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class MutationTests
{
    private const int MutationsPerInput = 1500;

    [Theory]
    [MemberData(nameof(ClientHelloFixtureTests.Fixtures), MemberType = typeof(ClientHelloFixtureTests))]
    public void Mutated_client_hellos_never_throw(string name)
    {
        var original = TestData.FixtureHandshake(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 0x5EED);
        var preferences = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256], ["h2"]);
        var parsed = 0;
        for (var i = 0; i < MutationsPerInput; i++)
        {
            var mutated = Mutate(original, random);
            var result = ClientHelloCodec.Parse(mutated);
            result.Match(
                Succ: hello =>
                {
                    parsed++;
                    Negotiator.Negotiate(hello, preferences).IfFail(error => Assert.IsType<AlertError>(error));
                    return 0;
                },
                Fail: error => { Assert.IsType<AlertError>(error); return 0; });
        }
        // Single-byte changes inside opaque data leave the hello valid, so some mutants must parse;
        // otherwise the mutator would be testing nothing but the first length check.
        Assert.InRange(parsed, 1, MutationsPerInput - 1);
    }

    [Fact]
    public void Mutated_server_messages_never_throw()
    {
        var random = new Random(8446);
        byte[][] inputs =
        [
            TestData.Rfc8448("ServerHello", 0), TestData.Rfc8448("ServerHello", 2), TestData.Rfc8448("EncryptedExtensions"),
            TestData.Rfc8448("CertificateRequest"), TestData.Rfc8448("Certificate", 3), TestData.Rfc8448("CertificateVerify"),
            TestData.Rfc8448("Finished"), TestData.Rfc8448("NewSessionTicket"), KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateRequested),
        ];
        foreach (var input in inputs)
        {
            for (var i = 0; i < MutationsPerInput; i++)
            {
                var bytes = Mutate(input, random);
                // Each decoder sees every input, so type confusion is exercised as well.
                CheckAlert(ServerHelloCodec.Decode(bytes));
                CheckAlert(HelloRetryRequestCodec.Decode(bytes));
                CheckAlert(EncryptedExtensionsCodec.Decode(bytes));
                CheckAlert(CertificateRequestCodec.Decode(bytes));
                CheckAlert(CertificateCodec.Decode(bytes));
                CheckAlert(CertificateVerifyCodec.Decode(bytes));
                CheckAlert(FinishedCodec.Decode(bytes, 32));
                CheckAlert(NewSessionTicketCodec.Decode(bytes));
                CheckAlert(KeyUpdateCodec.Decode(bytes));
                CheckAlert(ClientHelloCodec.Parse(bytes));
                CheckAlert(new HandshakeReassembler(4096).Append(bytes));
                CheckAlert(RecordHeader.Parse(bytes, random.Next(2) == 0));
                _ = ServerHelloCodec.IsHelloRetryRequest(bytes);
            }
        }
    }

    private static void CheckAlert<T>(LanguageExt.Fin<T> result) => result.IfFail(error => Assert.IsType<AlertError>(error));

    /// <summary>
    /// One to three random edits (overwrite, bit flip, delete, insert, truncate). Half the time the
    /// handshake header is then made consistent again, so the mutant gets past the framing check and
    /// exercises the inner length checks.
    /// </summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var kind = random.Next(5);
            if (bytes.Count == 0) kind = 3;
            switch (kind)
            {
                case 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 3:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    var cut = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
            }
        }
        if (bytes.Count >= 4 && random.Next(2) == 0)
        {
            var length = bytes.Count - 4;
            bytes[1] = (byte)(length >> 16);
            bytes[2] = (byte)(length >> 8);
            bytes[3] = (byte)length;
        }
        return bytes.ToArray();
    }
}
