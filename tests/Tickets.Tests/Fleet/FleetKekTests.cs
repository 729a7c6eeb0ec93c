using System.Runtime.Versioning;
using System.Text;
using Tickets.Redis;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Unit)]
public sealed class FleetKekTests
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("resumption secret of a session");

    [Fact]
    public void Sealed_value_opens_under_the_same_key_name_only()
    {
        var (kek, _) = FleetKek.Generate();
        using var _kek = kek;
        var sealedValue = kek.Seal("tickets:session:aa", Secret);

        Assert.Equal(Secret, kek.TryOpen("tickets:session:aa", sealedValue).IfNone([]));
        Assert.True(kek.TryOpen("tickets:session:bb", sealedValue).IsNone);
        Assert.Equal(FleetKek.Overhead + Secret.Length, sealedValue.Length);
        Assert.Equal(-1, sealedValue.AsSpan().IndexOf(Secret));
    }

    [Fact]
    public void Tampered_short_or_foreign_values_do_not_open()
    {
        var (kek, _) = FleetKek.Generate();
        var (other, _) = FleetKek.Generate();
        using var _kek = kek;
        using var _other = other;
        var sealedValue = kek.Seal("k", Secret);

        for (var i = 0; i < sealedValue.Length; i++)
        {
            var flipped = sealedValue.ToArray();
            flipped[i] ^= 0x01;
            Assert.True(kek.TryOpen("k", flipped).IsNone, $"a flip at byte {i} still opened");
        }

        Assert.True(kek.TryOpen("k", sealedValue.AsSpan(0, FleetKek.Overhead - 1)).IsNone);
        Assert.True(other.TryOpen("k", sealedValue).IsNone);
    }

    [Fact]
    public void Text_form_round_trips_and_bad_text_is_refused()
    {
        var (kek, text) = FleetKek.Generate();
        using var _kek = kek;
        using var parsed = FleetKek.Parse($"  {text}\n", "test");
        Assert.Equal(Secret, parsed.TryOpen("k", kek.Seal("k", Secret)).IfNone([]));

        Assert.Throws<FleetKekException>(() => FleetKek.Parse("not base64!", "test"));
        Assert.Throws<FleetKekException>(() => FleetKek.Parse(Convert.ToBase64String(new byte[31]), "test"));
        Assert.Throws<FleetKekException>(() => FleetKek.Parse(Convert.ToBase64String(new byte[33]), "test"));
    }

    [Fact]
    public void File_must_be_private_to_its_owner_and_its_errors_never_quote_the_key()
    {
        var directory = InteropPaths.NewDirectory("kek");
        var path = Path.Combine(directory, "fleet.kek");
        var (kek, text) = FleetKek.Generate();
        using var _kek = kek;
        File.WriteAllText(path, text + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var loaded = FleetKek.LoadFile(path))
            Assert.Equal(Secret, loaded.TryOpen("k", kek.Seal("k", Secret)).IfNone([]));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var shared = Assert.Throws<FleetKekException>(() => FleetKek.LoadFile(path));
        Assert.Contains("chmod 600", shared.Message);

        File.WriteAllText(path, text[..^4]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var malformed = Assert.Throws<FleetKekException>(() => FleetKek.LoadFile(path));
        Assert.DoesNotContain(text[..8], malformed.Message);

        Assert.Throws<FleetKekException>(() => FleetKek.LoadFile(Path.Combine(directory, "missing.kek")));
    }
}
