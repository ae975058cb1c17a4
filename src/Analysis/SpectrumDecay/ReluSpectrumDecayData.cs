using FourierRepro.Storage;

namespace FourierRepro.Analysis.SpectrumDecay;

// One network state (initialisation or trained) of one `relu-spectrum-decay` run.
public sealed record DecayState(
    long RunId,
    int Depth,
    int Width,
    long Step,                 // 0 = initialisation, else the training iteration
    double[] Spectrum,         // endpoint-corrected one-sided |DFT|/M, bins 0..M/2−1
    double[] Uncorrected,      // the same without removing the line through the ends
    double Exponent,           // fitted exponent of the corrected spectrum over the fit range
    double Intercept,          // log10 of the fit's constant: |f(k)| ≈ 10^Intercept · k^Exponent
    double UncorrectedExponent,
    double LinearPieces,
    int FitLow, int FitHigh)
{
    public bool Trained => Step > 0;
    public string Network => $"depth {Depth}, width {Width}";
}

public static class ReluSpectrumDecayData
{
    public const string Experiment = "relu-spectrum-decay";

    // Every state of every completed run at the context's scale; when several configurations of one network shape
    // were run into one database, the newest configuration with the most runs of that shape is used.
    public static List<DecayState> Load(AnalysisContext context)
    {
        var result = new List<DecayState>();
        var runs = context.CompletedRuns(Experiment);
        foreach (var byShape in runs.GroupBy(r => (Depth: r.Config().GetProperty("Depths")[0].GetInt32(), Width: r.Config().GetProperty("Widths")[0].GetInt32())))
        {
            var chosen = byShape.GroupBy(r => r.ConfigHash).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(r => r.Id)).First();
            foreach (var run in chosen)
            {
                var config = run.Config();
                int fitLow = config.GetProperty("FitLow").GetInt32(), fitHigh = config.GetProperty("FitHigh").GetInt32();
                var steps = context.Db.RequireArray(run.Id, "state_steps").Data;
                var spectra = context.Db.RequireArray(run.Id, "spectrum");
                var uncorrected = context.Db.RequireArray(run.Id, "spectrum_uncorrected");
                var (exponentSteps, exponents) = context.Db.MetricSeries(run.Id, "exponent");
                var (_, uncorrectedExponents) = context.Db.MetricSeries(run.Id, "exponent_uncorrected");
                var (_, pieces) = context.Db.MetricSeries(run.Id, "linear_pieces");
                for (int s = 0; s < steps.Length; s++)
                {
                    long step = (long)steps[s];
                    int m = Array.IndexOf(exponentSteps, step);
                    var line = context.Db.RequireArray(run.Id, "fit_line", step).Data;
                    result.Add(new DecayState(run.Id, byShape.Key.Depth, byShape.Key.Width, step, spectra.Row(s), uncorrected.Row(s),
                        exponents[m], line[1], uncorrectedExponents[m], pieces[m], fitLow, fitHigh));
                }
            }
        }
        return result.OrderBy(s => s.Depth).ThenBy(s => s.Width).ThenBy(s => s.RunId).ThenBy(s => s.Step).ToList();
    }

    // Root mean square of |F(k)| in `bins` log-spaced bins over k = 1 .. length−1: a light curve for a log-log plot.
    public static (double[] K, double[] Rms) LogBinned(double[] spectrum, int bins)
    {
        var k = new List<double>();
        var rms = new List<double>();
        double ratio = Math.Pow(spectrum.Length - 1, 1.0 / bins);
        for (int i = 0; i < bins; i++)
        {
            int lo = (int)Math.Round(Math.Pow(ratio, i)), hi = (int)Math.Round(Math.Pow(ratio, i + 1));
            if (i == bins - 1) hi = spectrum.Length;
            if (hi <= lo) continue;
            double power = 0;
            for (int j = lo; j < hi; j++) power += spectrum[j] * spectrum[j];
            if (power <= 0) continue;
            k.Add(Math.Sqrt((double)lo * (hi - 1)));
            rms.Add(Math.Sqrt(power / (hi - lo)));
        }
        return (k.ToArray(), rms.ToArray());
    }
}
