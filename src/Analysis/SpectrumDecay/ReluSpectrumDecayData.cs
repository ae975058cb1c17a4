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
    public const string Experiment = ReluSpectrumDecayContract.Experiment;

    // Every state of every completed run at the context's scale, runs chosen per network shape by RunSelection's
    // rule; loaded once per report.
    public static List<DecayState> Load(AnalysisContext context) => context.Cached(Experiment, LoadStates);

    static List<DecayState> LoadStates(AnalysisContext context)
    {
        var result = new List<DecayState>();
        var runs = context.CompletedRuns(Experiment);
        foreach (var byShape in runs.GroupBy(r => r.Config<ReluSpectrumDecayConfig>().SingleShape()))
        {
            foreach (var run in RunSelection.MostRuns(byShape))
            {
                var config = run.Config<ReluSpectrumDecayConfig>();
                int fitLow = config.FitLow, fitHigh = config.FitHigh;
                var steps = context.Db.RequireArray(run.Id, ReluSpectrumDecayContract.StateSteps).Data;
                var spectra = context.Db.RequireArray(run.Id, ReluSpectrumDecayContract.Spectrum);
                var uncorrected = context.Db.RequireArray(run.Id, ReluSpectrumDecayContract.SpectrumUncorrected);
                var (exponentSteps, exponents) = context.Db.MetricSeries(run.Id, ReluSpectrumDecayContract.Exponent);
                var (_, uncorrectedExponents) = context.Db.MetricSeries(run.Id, ReluSpectrumDecayContract.ExponentUncorrected);
                var (_, pieces) = context.Db.MetricSeries(run.Id, ReluSpectrumDecayContract.LinearPieces);
                for (int s = 0; s < steps.Length; s++)
                {
                    long step = (long)steps[s];
                    int m = Array.IndexOf(exponentSteps, step);
                    var line = context.Db.RequireArray(run.Id, ReluSpectrumDecayContract.FitLine, step).Data;
                    result.Add(new DecayState(run.Id, byShape.Key.Depth, byShape.Key.Width, step, spectra.Row(s), uncorrected.Row(s),
                        exponents[m], line[1], uncorrectedExponents[m], pieces[m], fitLow, fitHigh));
                }
            }
        }
        return result.OrderBy(s => s.Depth).ThenBy(s => s.Width).ThenBy(s => s.RunId).ThenBy(s => s.Step).ToList();
    }

    // Root mean square of |F(k)| in `bins` log-spaced bins over k = 1 .. length−1: a light curve for a log-log plot,
    // the same bands as the experiment's fit (SpectrumBands).
    public static (double[] K, double[] Rms) LogBinned(double[] spectrum, int bins) => SpectrumBands.LogBandRms(spectrum, 1, spectrum.Length, bins);
}
