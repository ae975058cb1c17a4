namespace FourierRepro.Analysis.Claims;

// The statistic behind an empirical claim: the per-unit values (seeds, images, runs), the effect's 95 % interval,
// and a one-sided p-value under the claim's null hypothesis. Units say what one value is ("seeds", "images").
public sealed record Significance(double PValue, double CiLow, double CiHigh, int N, string Unit, string Test, IReadOnlyList<double> Values)
{
    public const double Alpha = 0.05;
    public bool Significant => PValue < Alpha;
    public string Summary => $"p = {PValue:G3} ({Test}), 95% CI [{CiLow:G4}, {CiHigh:G4}], n = {N} {Unit}";
}

// Exact and resampling tests, each checked against a closed form in SignificanceTests. Every resampling uses its
// own fixed seed, so a claim's p-value and interval are the same every time the same data are analysed.
public static class HypothesisTests
{
    const int Resamples = 20_000;
    const int ExactSignFlipLimit = 16;   // 2^16 sign patterns enumerated exactly; above that, Monte Carlo

    // P(X >= k) for X ~ Binomial(n, p): the exact one-sided tail.
    public static double BinomialUpperTail(int k, int n, double p)
    {
        if (k <= 0) return 1;
        if (k > n) return 0;
        double tail = 0;
        for (int i = k; i <= n; i++) tail += Math.Exp(LogChoose(n, i) + i * Math.Log(p) + (n - i) * Math.Log(1 - p));
        return Math.Min(1, tail);
    }

    static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.Log(i);
        return s;
    }

    // Sign test: H0 "each unit's value is at or below `bound` with probability >= 1/2"; counts the units strictly
    // above it. p = P(Binomial(n, 1/2) >= successes). Its smallest possible p is 2^-n: n >= 5 units are needed
    // for p < 0.05.
    public static Significance SignTest(IReadOnlyList<double> values, double bound, string unit)
    {
        int above = values.Count(v => v > bound);
        var (lo, hi) = BootstrapMeanInterval(values);
        return new(BinomialUpperTail(above, values.Count, 0.5), lo, hi, values.Count, unit, $"sign test, {above} of {values.Count} above {bound:G4}", values);
    }

    // Paired sign-flip (randomisation) test of the mean: H0 "the unit values d_i − bound are symmetric about 0".
    // The statistic is mean(d − bound); p = share of the 2^n sign patterns whose mean is at least the observed one
    // (exact up to 16 units, Monte Carlo beyond). Smallest possible p: 2^-n.
    public static Significance SignFlip(IReadOnlyList<double> values, double bound, string unit)
    {
        int n = values.Count;
        var d = values.Select(v => v - bound).ToArray();
        double observed = d.Average();
        int atLeast = 0, total = 0;
        if (n <= ExactSignFlipLimit)
        {
            for (int mask = 0; mask < 1 << n; mask++, total++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += (mask >> i & 1) == 1 ? -d[i] : d[i];
                if (s / n >= observed - Tolerance(observed)) atLeast++;
            }
        }
        else
        {
            var rng = new Random(1);
            for (; total < Resamples; total++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += rng.Next(2) == 0 ? -d[i] : d[i];
                if (s / n >= observed - Tolerance(observed)) atLeast++;
            }
            atLeast++; total++; // the observed pattern itself
        }
        var (lo, hi) = BootstrapMeanInterval(values);
        return new((double)atLeast / total, lo, hi, n, unit, n <= ExactSignFlipLimit ? "exact sign-flip test of the mean" : "sign-flip test of the mean, 20000 resamples", values);
    }

    // Permutation test for a statistic of several groups of values whose order carries the effect (e.g. the
    // learning iteration of each frequency, in increasing k). H0: within each group the values are exchangeable.
    // Each group is shuffled independently; p = (1 + #{T* >= T}) / (1 + resamples). Groups of at most 8 values
    // (a single group) are enumerated exactly. Smallest possible p: the product of 1/n_i! (distinct values).
    public static double PermutationPValue(IReadOnlyList<double[]> groups, Func<IReadOnlyList<double[]>, double> statistic)
    {
        double observed = statistic(groups);
        if (groups.Count == 1 && groups[0].Length <= 8)
        {
            int atLeast = 0, total = 0;
            foreach (var permutation in Permutations(groups[0]))
            {
                total++;
                if (statistic([permutation]) >= observed - Tolerance(observed)) atLeast++;
            }
            return (double)atLeast / total;
        }
        var rng = new Random(2);
        var shuffled = groups.Select(g => (double[])g.Clone()).ToArray();
        int count = 0;
        for (int r = 0; r < Resamples; r++)
        {
            foreach (var g in shuffled) rng.Shuffle(g);
            if (statistic(shuffled) >= observed - Tolerance(observed)) count++;
        }
        return (1.0 + count) / (1.0 + Resamples);
    }

    // Rank claim over groups (one group per seed or run): the statistic is the mean over groups of Spearman's rho
    // between x and that group's values. H0: within each group the values are exchangeable over x.
    public static Significance SpearmanPermutation(IReadOnlyList<(double[] X, double[] Y)> groups, string unit)
    {
        var rhos = groups.Select(g => Stats.Spearman(g.X, g.Y)).ToArray();
        var xs = groups.Select(g => g.X).ToArray();
        double p = PermutationPValue(groups.Select(g => g.Y).ToArray(), ys => ys.Select((y, i) => Stats.Spearman(xs[i], y)).Average());
        var (lo, hi) = BootstrapMeanInterval(rhos);
        return new(p, lo, hi, groups.Count, unit, "permutation test of the mean Spearman rho, values shuffled within each " + Singular(unit), rhos);
    }

    public static double MinimumSignTestP(int units) => Math.Pow(0.5, units);

    public static double MinimumPermutationP(IEnumerable<int> groupSizes) => groupSizes.Aggregate(1.0, (p, n) => p / Math.Exp(LogFactorial(n)));

    // Percentile bootstrap of the mean over units: 95 % interval, fixed seed. One unit: [v, v].
    public static (double Low, double High) BootstrapMeanInterval(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) return (double.NaN, double.NaN);
        if (values.Any(v => !double.IsFinite(v))) return (double.NaN, double.NaN);
        var rng = new Random(3);
        var means = new double[Resamples];
        for (int r = 0; r < Resamples; r++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += values[rng.Next(n)];
            means[r] = s / n;
        }
        Array.Sort(means);
        return (means[(int)(0.025 * Resamples)], means[(int)(0.975 * Resamples) - 1]);
    }

    static double Tolerance(double x) => 1e-12 * Math.Max(1, Math.Abs(x));

    static string Singular(string unit) => unit.EndsWith('s') ? unit[..^1] : unit;

    static IEnumerable<double[]> Permutations(double[] values)
    {
        var a = (double[])values.Clone();
        var c = new int[a.Length];
        yield return (double[])a.Clone();
        for (int i = 0; i < a.Length;)
        {
            if (c[i] < i)
            {
                int j = i % 2 == 0 ? 0 : c[i];
                (a[j], a[i]) = (a[i], a[j]);
                yield return (double[])a.Clone();
                c[i]++;
                i = 0;
            }
            else c[i++] = 0;
        }
    }
}
