namespace FourierRepro.Analysis;

public static class Stats
{
    public static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? double.NaN : x.Average();

    // Sample standard deviation (n − 1); 0 for a single value.
    public static double Std(IReadOnlyList<double> x)
    {
        if (x.Count < 2) return 0;
        double m = Mean(x);
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Count - 1));
    }

    // Population standard deviation (n): what numpy's np.std prints, as the Tancik notebooks' Table 1 does.
    public static double PopulationStd(IReadOnlyList<double> x)
    {
        if (x.Count == 0) return double.NaN;
        double m = Mean(x);
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Count);
    }

    // Ranks 1..n, ties given their average rank; +∞ ranks last (tied with other +∞).
    public static double[] Ranks(IReadOnlyList<double> x)
    {
        var order = Enumerable.Range(0, x.Count).OrderBy(i => x[i]).ToArray();
        var ranks = new double[x.Count];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && x[order[j + 1]].Equals(x[order[i]])) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("samples of different length");
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    // Element-wise mean of 2D arrays (one per run), over the rows all of them have: [rows, columns].
    public static double[,] MeanOf(IReadOnlyList<Storage.NdArray> arrays)
    {
        int rows = arrays.Min(a => a.Rows), columns = arrays[0].Columns;
        var mean = new double[rows, columns];
        foreach (var a in arrays)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    mean[r, c] += a[r, c] / arrays.Count;
        return mean;
    }

    // Spearman's rank correlation with average ranks for ties; 0 when either sample is constant.
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));
}
