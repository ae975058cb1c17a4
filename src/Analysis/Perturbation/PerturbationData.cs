using FourierRepro.Storage;

namespace FourierRepro.Analysis.Perturbation;

// One run of `perturbation-robustness` as the figure and the claim need it.
public sealed record PerturbationRun(
    long RunId,
    double[] Deltas,          // perturbation norms δ, one per row
    double[] Frequencies,     // k_i
    NdArray Normalized,       // [δ, K]: mean over directions of |f̃_{θ+δu}(k_i)|, over the trained network's |f̃_θ(k_i)|
    double[] FitAmplitude,    // [K]: 2|f̃_θ(k_i)|/A_i of the trained network (1 = fitted)
    double[] DirectionNorms,  // global L2 norm of every direction drawn (1 by construction)
    NdArray? InitialNormalized = null) // [δ, K]: the same sweep of the untrained network over its own spectrum (PR-1's control); null in older databases
{
    // The amplitude kept over the sweep: the mean over δ of the normalized amplitude clipped to [0, 1]
    // (1 when the component is untouched by every δ; small when it is lost early).
    public double Retained(int frequencyIndex) => Retained(Normalized, frequencyIndex);

    // The same measure on the untrained network's sweep.
    public double InitialRetained(int frequencyIndex) => Retained(InitialNormalized ?? throw new InvalidOperationException("no initial sweep recorded"), frequencyIndex);

    double Retained(NdArray normalized, int frequencyIndex)
    {
        double sum = 0;
        for (int d = 0; d < Deltas.Length; d++) sum += Math.Clamp(normalized[d, frequencyIndex], 0, 1);
        return sum / Deltas.Length;
    }

    // The first δ at which the normalized amplitude falls below `threshold`; +∞ when it never does.
    public double DropDelta(int frequencyIndex, double threshold)
    {
        for (int d = 0; d < Deltas.Length; d++)
            if (Normalized[d, frequencyIndex] < threshold) return Deltas[d];
        return double.PositiveInfinity;
    }
}

public static class PerturbationData
{
    public const string Experiment = PerturbationRobustnessContract.Experiment;

    // Completed runs at the context's scale, chosen by RunSelection's rule; loaded once per report.
    public static List<PerturbationRun> Load(AnalysisContext context) => context.Cached(Experiment, LoadRuns);

    static List<PerturbationRun> LoadRuns(AnalysisContext context)
    {
        return RunSelection.MostRuns(context.CompletedRuns(Experiment)).Select(r => new PerturbationRun(r.Id,
            context.Db.RequireArray(r.Id, PerturbationRobustnessContract.PerturbationNorms).Data,
            context.Db.RequireArray(r.Id, PerturbationRobustnessContract.Frequencies).Data,
            context.Db.RequireArray(r.Id, PerturbationRobustnessContract.NormalizedAmplitude),
            context.Db.RequireArray(r.Id, PerturbationRobustnessContract.FitAmplitude).Data,
            context.Db.RequireArray(r.Id, PerturbationRobustnessContract.DirectionNorms).Data,
            context.Db.ReadArray(r.Id, PerturbationRobustnessContract.InitialNormalizedAmplitude))).ToList();
    }
}
