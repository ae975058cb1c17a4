using FourierRepro.Analysis.Claims;

namespace FourierRepro.Analysis.SpectralBias;

// "Lower frequencies are learned first" as a statistic. Per run, the learn iteration t_i of each target frequency
// k_i (increasing): the first iteration it reaches half its amplitude, +∞ never, NaN when present at initialisation
// (left out). A pair k_a < k_b is concordant when t_a < t_b (k_b later or never), discordant when t_a > t_b, and
// uninformative when tied (both never, or the same frame). Goodman–Kruskal gamma = (C − D) / (C + D), pooled over
// the runs: 1 when every informative pair is in order, 0 for a random order, and 0 when nothing was learned (no
// informative pair), so an untrained network cannot pass.
public static class LearningOrder
{
    public sealed record Result(double Gamma, int Concordant, int Discordant, double[] RunGammas, Significance Test);

    public static (int Concordant, int Discordant) Pairs(IReadOnlyList<double> learnIterations)
    {
        int c = 0, d = 0;
        for (int a = 0; a < learnIterations.Count; a++)
            for (int b = a + 1; b < learnIterations.Count; b++)
            {
                if (learnIterations[a] < learnIterations[b]) c++;
                else if (learnIterations[a] > learnIterations[b]) d++;
            }
        return (c, d);
    }

    public static double Gamma(int concordant, int discordant) =>
        concordant + discordant == 0 ? 0 : (double)(concordant - discordant) / (concordant + discordant);

    static (int Concordant, int Discordant) PooledPairs(IReadOnlyList<double[]> runs)
    {
        int c = 0, d = 0;
        foreach (var t in runs)
        {
            var (rc, rd) = Pairs(t);
            c += rc;
            d += rd;
        }
        return (c, d);
    }

    static double Pooled(IReadOnlyList<double[]> runs)
    {
        var (c, d) = PooledPairs(runs);
        return Gamma(c, d);
    }

    // runs: per run, the learn iterations in increasing k with NaN (present at initialisation) already removed.
    // H0: within each run the learn iterations are exchangeable over k; permutation test of the pooled gamma.
    public static Result Evaluate(IReadOnlyList<double[]> runs)
    {
        var perRun = runs.Select(t => { var (c, d) = Pairs(t); return Gamma(c, d); }).ToArray();
        var (concordant, discordant) = PooledPairs(runs);
        double p = HypothesisTests.PermutationPValue(runs, Pooled);
        var (lo, hi) = HypothesisTests.BootstrapMeanInterval(perRun);
        var test = new Significance(p, lo, hi, runs.Count, "runs", "permutation test of the pooled gamma, learn iterations shuffled over k within each run", perRun);
        return new Result(Gamma(concordant, discordant), concordant, discordant, perRun, test);
    }
}
