using Tickets.Core.Policy;

namespace Tickets.Tests.Core;

/// <summary>The freshness check for a presented ticket, at its boundaries.</summary>
[Trait("Category", TestCategory.Unit)]
public class ResumptionPolicyTests
{
    private const long IssuedAt = 1_700_000_000_000;

    [Theory]
    [InlineData(0L, 0L, ResumptionVerdict.Accepted)]
    [InlineData(5_000L, 4_900L, ResumptionVerdict.Accepted)]
    [InlineData(7_200_000L, 7_190_000L, ResumptionVerdict.Accepted)]
    [InlineData(7_200_001L, 7_200_001L, ResumptionVerdict.Expired)]
    [InlineData(60_000L, 49_999L, ResumptionVerdict.AgeInconsistent)]
    [InlineData(60_000L, 50_000L, ResumptionVerdict.Accepted)]
    [InlineData(60_000L, 70_000L, ResumptionVerdict.Accepted)]
    [InlineData(60_000L, 70_001L, ResumptionVerdict.AgeInconsistent)]
    [InlineData(-1L, 0L, ResumptionVerdict.IssuedInFuture)]
    public void Verdict_depends_on_lifetime_and_the_10_second_tolerance(long serverAge, long clientAge, ResumptionVerdict expected)
    {
        const uint ageAdd = 0xFFFF_FF00; // large, so the obfuscated age wraps around 2^32
        var obfuscated = unchecked((uint)clientAge + ageAdd);

        var check = ResumptionPolicy.Check(IssuedAt, 7200, ageAdd, obfuscated, IssuedAt + serverAge);

        Assert.Equal(expected, check.Verdict);
        Assert.Equal(expected == ResumptionVerdict.Accepted, check.Accepted);
    }

    [Fact]
    public void A_custom_tolerance_is_honoured()
    {
        Assert.Equal(ResumptionVerdict.AgeInconsistent, ResumptionPolicy.Check(IssuedAt, 60, 0, 1_000, IssuedAt + 3_000, 1_000).Verdict);
        Assert.Equal(ResumptionVerdict.Accepted, ResumptionPolicy.Check(IssuedAt, 60, 0, 2_000, IssuedAt + 3_000, 1_000).Verdict);
    }

    [Fact]
    public void An_absurd_issue_time_reads_as_expired_not_as_an_overflow()
    {
        Assert.Equal(ResumptionVerdict.Expired, ResumptionPolicy.Check(long.MinValue, 604800, 0, 0, long.MaxValue).Verdict);
    }

    [Fact]
    public void Every_verdict_has_its_own_sentence_and_short_name()
    {
        var sentences = Enum.GetValues<ResumptionVerdict>().Select(verdict => verdict.Describe()).ToList();
        var names = Enum.GetValues<ResumptionVerdict>().Select(verdict => verdict.ShortName()).ToList();

        Assert.All(sentences, sentence => Assert.DoesNotContain("Unknown", sentence));
        Assert.Equal(sentences.Count, sentences.Distinct().Count());
        Assert.All(names, name => Assert.DoesNotContain("verdict", name));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Server_names_compare_ignoring_ascii_case_only_and_no_name_matches_only_no_name()
    {
        Assert.True(ResumptionPolicy.SameServerName("Example.COM", "example.com"));
        Assert.True(ResumptionPolicy.SameServerName(LanguageExt.Option<string>.None, LanguageExt.Option<string>.None));
        Assert.False(ResumptionPolicy.SameServerName("example.com", LanguageExt.Option<string>.None));
        Assert.False(ResumptionPolicy.SameServerName(LanguageExt.Option<string>.None, "example.com"));
        Assert.False(ResumptionPolicy.SameServerName("example.com", "example.com."));
        // The Kelvin sign folds to k under Unicode rules; host names are ASCII, so it must not match here.
        Assert.False(ResumptionPolicy.SameServerName("k.test", "\u212A.test"));
    }

    [Fact]
    public void The_identity_cap_is_four()
    {
        Assert.Equal(4, ResumptionPolicy.MaxIdentities);
    }
}
