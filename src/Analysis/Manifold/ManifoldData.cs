using FourierRepro.Storage;

namespace FourierRepro.Analysis.Manifold;

// One regression run of `manifold-spectral-bias`: one seed on one flower curve with L petals.
public sealed record ManifoldRun(
    long RunId,
    int Seed,
    int Petals,
    double[] Steps,          // recorded iterations
    double[] Frequencies,    // k_i in cycles per revolution
    NdArray Normalized,      // [frames, K]: 2|f̃(k_i)|/A_i along the curve
    double[] CurveXy)        // [N, 2] row-major
{
    // The frequencies in the upper half of the list (k = 120 ... 200 for the paper's ten).
    public int[] UpperHalf => Enumerable.Range(Frequencies.Length / 2, Frequencies.Length - Frequencies.Length / 2).ToArray();

    // Mean over the upper-half frequencies of 2|f̃(k)|/A clipped to [0, 1], at frame f.
    public double UpperAmplitude(int frame) => UpperHalf.Average(i => Math.Clamp(Normalized[frame, i], 0, 1));

    // The same, averaged over every recorded iteration: high when the high frequencies arrive early (the figure's panel).
    public double UpperAmplitudeOverTraining() => Enumerable.Range(0, Steps.Length).Average(UpperAmplitude);

    // MAN-1's measure, material progress only: the share of the first `frames` recorded iterations during which an
    // upper-half frequency has at least half its target amplitude (2|f̃(k)|/A >= 0.5), averaged over those
    // frequencies. 0 when none ever reaches half amplitude, as for a network that learned nothing.
    public double UpperShareAtHalf(int frames) =>
        UpperHalf.Average(i => Enumerable.Range(0, frames).Count(f => Normalized[f, i] >= HalfAmplitude) / (double)frames);

    public const double HalfAmplitude = 0.5;
}

// The classification run: the logit of the trained network over the plane, and the labelled curve.
public sealed record ManifoldClassification(
    long RunId,
    int Petals,
    double[] Frequencies,
    double[] CurveXy,
    double[] Labels,
    NdArray DecisionLogits,  // [grid y, grid x] over [−Extent, Extent]²
    double Extent,
    long[] AccuracySteps,
    double[] Accuracy)
{
    // The accuracy of always predicting the more frequent label, exactly from the labels.
    public double MajorityRate => Math.Max(Labels.Average(), 1 - Labels.Average());
}

public static class ManifoldData
{
    public const string Experiment = ManifoldSpectralBiasContract.Experiment;

    // Per L, the runs RunSelection chooses.
    static IEnumerable<RunRecord> Chosen(AnalysisContext context, string task) =>
        context.CompletedRuns(Experiment)
            .Where(r => r.Config<ManifoldSpectralBiasConfig>().SinglePoint().Task == task)
            .GroupBy(Petals)
            .SelectMany(g => RunSelection.MostRuns(g));

    static int Petals(RunRecord run) => run.Config<ManifoldSpectralBiasConfig>().SinglePoint().Petals;

    // Loaded once per report.
    public static List<ManifoldRun> LoadRegression(AnalysisContext context) => context.Cached(Experiment + "/" + ManifoldSpectralBiasConfig.Regression, LoadRegressionRuns);

    public static List<ManifoldClassification> LoadClassification(AnalysisContext context) => context.Cached(Experiment + "/" + ManifoldSpectralBiasConfig.Classification, LoadClassificationRuns);

    static List<ManifoldRun> LoadRegressionRuns(AnalysisContext context) =>
        Chosen(context, ManifoldSpectralBiasConfig.Regression).Select(r => new ManifoldRun(r.Id, r.Seed, Petals(r),
            context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.RecordSteps).Data,
            context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.Frequencies).Data,
            context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.NormalizedAmplitude),
            context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.CurveXy).Data)).OrderBy(r => r.Petals).ThenBy(r => r.Seed).ToList();

    static List<ManifoldClassification> LoadClassificationRuns(AnalysisContext context) =>
        Chosen(context, ManifoldSpectralBiasConfig.Classification).Select(r =>
        {
            var (steps, accuracy) = context.Db.MetricSeries(r.Id, ManifoldSpectralBiasContract.Accuracy);
            return new ManifoldClassification(r.Id, Petals(r),
                context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.Frequencies).Data,
                context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.CurveXy).Data,
                context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.Target).Data,
                context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.DecisionLogits),
                context.Db.RequireArray(r.Id, ManifoldSpectralBiasContract.DecisionExtent).Data[0],
                steps, accuracy);
        }).OrderBy(c => c.RunId).ToList();
}
