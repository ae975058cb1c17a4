using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.SpectralBias;

namespace FourierRepro.Tests;

// The tests behind the claims, against closed forms and small cases worked out by hand.
public sealed class SignificanceTests
{
    [Fact]
    public void Binomial_tail_matches_closed_forms()
    {
        Check.Close(1.0 / 32, HypothesisTests.BinomialUpperTail(5, 5, 0.5), 1e-12, "5 of 5");
        Check.Close(6.0 / 32, HypothesisTests.BinomialUpperTail(4, 5, 0.5), 1e-12, "4 or more of 5: (1 + 5) / 32");
        Check.Close(1.0, HypothesisTests.BinomialUpperTail(0, 7, 0.3), 1e-12, "at least 0");
        Check.Close(1 - Math.Pow(0.7, 7), HypothesisTests.BinomialUpperTail(1, 7, 0.3), 1e-12, "at least 1 of 7 at 0.3");
        Assert.Equal(0.0, HypothesisTests.BinomialUpperTail(8, 7, 0.3));
    }

    [Fact]
    public void Sign_test_counts_units_strictly_above_the_bound()
    {
        var t = HypothesisTests.SignTest([1.2, 1.5, 1.1, 0.9, 2.0], 1.0, "runs");
        Check.Close(6.0 / 32, t.PValue, 1e-12, "4 of 5 above");
        Assert.Equal(5, t.N);
        Check.Close(1.0 / 4, HypothesisTests.SignTest([3, 4], 0, "seeds").PValue, 1e-12, "2 of 2: 2^-2");
        Assert.False(HypothesisTests.SignTest([3, 4], 0, "seeds").Significant); // two units can never reach p < 0.05
        Check.Close(1.0 / 32, HypothesisTests.MinimumSignTestP(5), 1e-15, "smallest p over 5 units");
    }

    [Fact]
    public void Sign_flip_test_is_exact_on_small_cases()
    {
        // All five differences positive and distinct: only the identity pattern reaches the observed mean.
        Check.Close(1.0 / 32, HypothesisTests.SignFlip([1, 2, 3, 4, 5], 0, "images").PValue, 1e-12, "2^-5");
        // d = (1, 2, -0.5): patterns with mean >= 2.5/3 are (+,+,-) observed and (+,+,+): 2 of 8.
        Check.Close(2.0 / 8, HypothesisTests.SignFlip([1, 2, -0.5], 0, "images").PValue, 1e-12, "2 of 8");
        // Against a bound: values 1.5, 2.5 with bound 1 are d = 0.5, 1.5; patterns >= 1: only (+,+): 1/4.
        Check.Close(1.0 / 4, HypothesisTests.SignFlip([1.5, 2.5], 1, "images").PValue, 1e-12, "bound shifts");
        // Symmetric data: p >= 1/2.
        Assert.True(HypothesisTests.SignFlip([1, -1, 2, -2], 0, "images").PValue >= 0.5);
    }

    [Fact]
    public void Permutation_test_of_spearman_is_exact_for_one_small_group_and_close_for_several()
    {
        var single = HypothesisTests.SpearmanPermutation([([1, 2, 3, 4], [10, 20, 30, 40])], "seeds");
        Check.Close(1.0 / 24, single.PValue, 1e-12, "perfect order of 4: one permutation of 24");
        Check.Close(1.0, single.Values[0], 1e-12, "rho");
        // Two groups of 3 in perfect order: mean rho = 1 only when both are, probability (1/6)^2 = 1/36 (Monte Carlo, 20000).
        var two = HypothesisTests.SpearmanPermutation([([1, 2, 3], [1, 2, 3]), ([1, 2, 3], [5, 6, 7])], "seeds");
        double sd = Math.Sqrt(1.0 / 36 * 35 / 36 / 20000);
        Assert.True(Math.Abs(two.PValue - 1.0 / 36) < 4 * sd + 1e-4, $"p {two.PValue} against 1/36 = {1.0 / 36:G4} (4 sd = {4 * sd:G3})");
        // A reversed order is not evidence for the claim: p near 1.
        Assert.True(HypothesisTests.SpearmanPermutation([([1, 2, 3, 4], [4, 3, 2, 1])], "seeds").PValue > 0.9);
        Check.Close(1.0 / 24 / 6, HypothesisTests.MinimumPermutationP([4, 3]), 1e-15, "1/4! x 1/3!");
    }

    [Fact]
    public void Bootstrap_interval_brackets_the_mean_and_collapses_on_constants()
    {
        var (lo, hi) = HypothesisTests.BootstrapMeanInterval([2, 2, 2]);
        Assert.Equal((2.0, 2.0), (lo, hi));
        // Two values 0 and 1: the resampled mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4, so the 95 % interval is [0, 1].
        Assert.Equal((0.0, 1.0), HypothesisTests.BootstrapMeanInterval([0, 1]));
        var values = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        var (l2, h2) = HypothesisTests.BootstrapMeanInterval(values);
        double se = Stats.Std(values) / Math.Sqrt(values.Length);
        Assert.True(l2 < 19.5 && h2 > 19.5, "brackets the mean");
        Check.Close(2 * 1.96 * se, h2 - l2, 0.15 * 2 * 1.96 * se, "width ~ the normal interval's");
    }

    [Fact]
    public void Learning_order_gamma_is_zero_when_nothing_is_learned_and_one_in_order()
    {
        double inf = double.PositiveInfinity;
        Assert.Equal((0, 0), LearningOrder.Pairs([inf, inf, inf]));
        Assert.Equal(0.0, LearningOrder.Gamma(0, 0));
        // k1 at 100, k2 at 300, k3 never: all 3 pairs in order.
        Assert.Equal((3, 0), LearningOrder.Pairs([100, 300, inf]));
        // k1 and k2 in the same frame: that pair says nothing; (1,3) and (2,3) in order.
        Assert.Equal((2, 0), LearningOrder.Pairs([100, 100, inf]));
        Assert.Equal((0, 3), LearningOrder.Pairs([inf, 300, 100]));
        var untrained = LearningOrder.Evaluate([[inf, inf, inf, inf], [inf, inf, inf, inf]]);
        Assert.Equal(0.0, untrained.Gamma);
        Assert.True(untrained.Test.PValue > 0.9, "nothing learned is no evidence");
        var ordered = LearningOrder.Evaluate([[50, 100, 150, inf, inf, inf, inf, inf, inf, inf]]);
        Assert.Equal(1.0, ordered.Gamma);
        Assert.True(ordered.Test.PValue < 0.01, $"p {ordered.Test.PValue}");
    }
}

public sealed class PaperDifferencesTests
{
    [Fact]
    public void A_grid_point_of_the_papers_list_is_no_difference_and_a_changed_setting_is()
    {
        var paper = """{"Cases":["equal","increasing"],"Iterations":60000,"Width":256}""";
        var runs = new[] { """{"Cases":["equal"],"Iterations":3000,"Width":256}""", """{"Cases":["increasing"],"Iterations":3000,"Width":256}""" };
        var d = FourierRepro.Analysis.PaperDifferences.Compute(paper, runs);
        var only = Assert.Single(d);
        Assert.Equal(("Iterations", "3000", "60000"), (only.Setting, only.Ours, only.Paper));
        var other = FourierRepro.Analysis.PaperDifferences.Compute(paper, ["""{"Cases":["constant"],"Iterations":60000,"Width":256}"""]);
        Assert.Equal("Cases", Assert.Single(other).Setting);
        // A setting the defaults leave out while null (a data file of one's own) differs wherever a run has it.
        var own = FourierRepro.Analysis.PaperDifferences.Compute(paper, [.. runs, """{"Cases":["equal"],"Iterations":3000,"Signal":"/tmp/s.csv","Width":256}"""]);
        Assert.Equal(("Signal", "(absent) / \"/tmp/s.csv\"", "(absent)"), own.Where(x => x.Setting == "Signal").Select(x => (x.Setting, x.Ours, x.Paper)).Single());
    }
}

public sealed class ClaimDecisionTests
{
    static readonly Claim Empirical = new("X-1", "x", "statement", "method", "bound", Scales.All, _ => null);
    static readonly Significance Strong = new(0.001, 0.9, 1, 10, "runs", "test", [1.0]);
    static readonly Significance Weak = new(0.25, 0.1, 1, 2, "seeds", "test", [1.0, 0.5]);

    [Fact]
    public void An_empirical_claim_is_reproduced_only_with_the_effect_a_small_p_and_a_failing_control()
    {
        var absent = new ControlResult("untrained", 0, false, "");
        var present = new ControlResult("untrained", 1, true, "");
        Assert.True(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Test = Strong, Control = absent }).Holds);
        Assert.False(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Test = Strong, Control = present }).Holds);
        Assert.False(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Test = Weak, Control = absent }).Holds);
        Assert.False(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, false, "", []) { Test = Strong, Control = absent }).Holds);
        Assert.False(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Control = absent }).Holds);
        Assert.False(ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Test = Strong }).Holds);
        Assert.Contains("control", ClaimEvaluator.Decide(Empirical, new ClaimResult(1, true, "", []) { Test = Strong, Control = present }).Reason);
    }

    [Fact]
    public void An_identity_holds_on_its_effect_alone()
    {
        var identity = Empirical with { Kind = ClaimKind.Identity };
        Assert.True(ClaimEvaluator.Decide(identity, new ClaimResult(0, true, "", [])).Holds);
        Assert.False(ClaimEvaluator.Decide(identity, new ClaimResult(0, false, "", [])).Holds);
    }
}

public sealed class ClaimCatalogTests
{
    // Every empirical claim says what its p-value is computed under and what its negative control is; a claim not
    // required at every scale says why, worked out from its test.
    [Fact]
    public void Every_empirical_claim_states_its_null_hypothesis_control_and_where_it_has_power()
    {
        var claims = FourierRepro.Analysis.AnalysisCatalog.All.SelectMany(m => m.Claims).ToList();
        Assert.Equal(claims.Count, claims.Select(c => c.Id).Distinct().Count());
        foreach (var c in claims.Where(c => c.Kind == ClaimKind.Empirical))
        {
            Assert.False(string.IsNullOrWhiteSpace(c.NullHypothesis), $"{c.Id}: no null hypothesis");
            Assert.False(string.IsNullOrWhiteSpace(c.ControlText), $"{c.Id}: no negative control");
            if (!Scales.All.All(c.RequiredAt.Contains))
                Assert.False(string.IsNullOrWhiteSpace(c.Power), $"{c.Id}: required at {string.Join(", ", c.RequiredAt)} only, without saying why");
        }
        Assert.Contains(claims, c => c.Kind == ClaimKind.Identity);
    }
}
