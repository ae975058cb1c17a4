using FourierRepro.Analysis;

namespace FourierRepro.Tests;

public sealed class StatsTests
{
    [Fact]
    public void Spearman_agrees_with_mathnet_including_ties()
    {
        var rng = new Random(1);
        for (int trial = 0; trial < 20; trial++)
        {
            var x = Enumerable.Range(0, 12).Select(_ => (double)rng.Next(6)).ToArray();
            var y = Enumerable.Range(0, 12).Select(_ => (double)rng.Next(6)).ToArray();
            Check.Close(MathNet.Numerics.Statistics.Correlation.Spearman(x, y), Stats.Spearman(x, y), 1e-12, $"trial {trial}");
        }
    }

    [Fact]
    public void Infinity_ranks_last_tied()
    {
        Assert.Equal([1.0, 2.0, 3.5, 3.5], Stats.Ranks([1, 5, double.PositiveInfinity, double.PositiveInfinity]));
        Check.Close(1.0, Stats.Spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1e-12, "monotone");
        Check.Close(-1.0, Stats.Spearman([1, 2, 3, 4], [40, 30, 20, 10]), 1e-12, "reversed");
    }
}
