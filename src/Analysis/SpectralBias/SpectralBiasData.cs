using FourierRepro.Storage;

namespace FourierRepro.Analysis.SpectralBias;

// One run of `spectral-bias` as the figures and claims need it.
public sealed record SpectralBiasRun(
    long RunId,
    string AmplitudeCase,
    double[] Steps,              // recorded iterations, one per frame
    double[] Frequencies,        // k_i
    double[] Amplitudes,         // A_i
    NdArray Normalized,          // [frames, K]: 2|f̃(k_i)|/A_i
    Dictionary<int, double[]> SpectralNorms) // layer (1-based) → σ_max per frame
{
    // 1 − (2|f̃(k_i)|/A_i clipped to [0, 1]) averaged over the recorded iterations: 0 if fitted from the start, 1 if never.
    public double Shortfall(int frequencyIndex)
    {
        double sum = 0;
        for (int f = 0; f < Steps.Length; f++) sum += 1 - Math.Clamp(Normalized[f, frequencyIndex], 0, 1);
        return sum / Steps.Length;
    }

    // Learning measured from the network's own initial state: the first recorded iteration after initialisation at
    // which 2|f̃(k_i)|/A_i reaches `threshold` (material progress: half the target amplitude), +∞ when it never does,
    // NaN when the component was already there at initialisation (nothing was learned about it).
    public double MaterialLearnIteration(int frequencyIndex, double threshold)
    {
        if (Normalized[0, frequencyIndex] >= threshold) return double.NaN;
        for (int f = 1; f < Steps.Length; f++)
            if (Normalized[f, frequencyIndex] >= threshold) return Steps[f];
        return double.PositiveInfinity;
    }

    // First recorded iteration at which 2|f̃(k_i)|/A_i reaches `threshold`; +∞ when it never does.
    public double LearnIteration(int frequencyIndex, double threshold)
    {
        for (int f = 0; f < Steps.Length; f++)
            if (Normalized[f, frequencyIndex] >= threshold) return Steps[f];
        return double.PositiveInfinity;
    }
}

public static class SpectralBiasData
{
    public const string Experiment = SpectralBiasContract.Experiment;

    // Completed runs of the paper's networks at the context's scale, by amplitude case. When runs of one case were
    // made with different configurations (e.g. a --set override into the same database), the configuration with the
    // most runs is used.
    // Loaded once per report (and seed filter): every claim and figure gets the same objects.
    public static Dictionary<string, List<SpectralBiasRun>> Load(AnalysisContext context) =>
        context.Cached(Experiment + "/" + SpectralBiasConfig.NoMapping, c => Load(c, SpectralBiasConfig.NoMapping));

    // The negative-control runs: the same targets learned through a flat-spectrum Fourier feature mapping.
    public static Dictionary<string, List<SpectralBiasRun>> LoadControls(AnalysisContext context) =>
        context.Cached(Experiment + "/" + SpectralBiasConfig.FlatFourierMapping, c => Load(c, SpectralBiasConfig.FlatFourierMapping));

    static Dictionary<string, List<SpectralBiasRun>> Load(AnalysisContext context, string mapping)
    {
        var result = new Dictionary<string, List<SpectralBiasRun>>();
        var runs = context.CompletedRuns(Experiment).Select(r => (Run: r, Config: r.Config<SpectralBiasConfig>())).Where(r => r.Config.Mapping == mapping);
        foreach (var byCase in runs.GroupBy(r => r.Config.SingleCase()))
            result[byCase.Key] = RunSelection.MostRuns(byCase.Select(r => r.Run)).Select(r => LoadRun(context.Db, r, byCase.Key)).ToList();
        return result;
    }

    static SpectralBiasRun LoadRun(ResultsDbContext db, RunRecord run, string amplitudeCase)
    {
        var norms = new Dictionary<int, double[]>();
        for (int layer = 1; ; layer++)
        {
            var (steps, values) = db.MetricSeries(run.Id, SpectralBiasContract.SpectralNorm(layer));
            if (steps.Length == 0) break;
            norms[layer] = values;
        }
        return new SpectralBiasRun(run.Id, amplitudeCase,
            db.RequireArray(run.Id, SpectralBiasContract.RecordSteps).Data,
            db.RequireArray(run.Id, SpectralBiasContract.Frequencies).Data,
            db.RequireArray(run.Id, SpectralBiasContract.Amplitudes).Data,
            db.RequireArray(run.Id, SpectralBiasContract.NormalizedAmplitude),
            norms);
    }
}
