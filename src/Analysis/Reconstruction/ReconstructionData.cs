using FourierRepro.Analysis.Images;
using FourierRepro.Storage;

namespace FourierRepro.Analysis.Reconstruction;

// One ct-reconstruction or mri-reconstruction run as the figures and claims need it: the PSNR of the reconstruction
// against the phantom over training (from iteration 0, the untrained network: the claims' negative control) and the
// run's own forward-model check.
public sealed record ReconstructionRun(long RunId, int Seed, string Method, string Phantom, long[] Steps, double[] Psnr, double ForwardModelError)
{
    public double FinalPsnr => Psnr[^1];
    public double InitialPsnr => Steps[0] == 0 ? Psnr[0] : throw new InvalidDataException($"run {RunId}: the PSNR series starts at iteration {Steps[0]}, not at the untrained network (0)");
}

public static class ReconstructionData
{
    public sealed record Data(List<ReconstructionRun> Runs, int Resolution, int Iterations)
    {
        public IEnumerable<ReconstructionRun> Of(string method) => Runs.Where(r => r.Method == method);

        // A value per phantom (mean over seeds) for one method.
        public Dictionary<string, double> PerPhantom(string method, Func<ReconstructionRun, double> value) =>
            Of(method).GroupBy(r => r.Phantom).ToDictionary(g => g.Key, g => g.Average(value));
    }

    // Loaded once per report (and seed filter). Methods and Phantoms are the grid keys of both families' configurations.
    public static Data? Load(AnalysisContext context, string experiment) => context.Cached(experiment, c => Read(c, experiment));

    static Data? Read(AnalysisContext context, string experiment)
    {
        var runs = RunFamilies.Largest(context.CompletedRuns(experiment), nameof(CtReconstructionConfig.Methods), nameof(CtReconstructionConfig.Phantoms));
        if (runs.Count == 0) return null;
        var loaded = runs.Select(r =>
        {
            var grid = r.Config<GridPoint>();
            var (steps, psnr) = context.Db.MetricSeries(r.Id, ReconstructionContract.Psnr);
            if (steps.Length == 0) throw new InvalidDataException($"run {r.Id}: no PSNR series");
            var check = context.Db.MetricSeries(r.Id, ReconstructionContract.ForwardModelError).Values;
            return new ReconstructionRun(r.Id, r.Seed, grid.SingleMethod(), ReconstructionNames.PhantomName(grid.SinglePhantom()), steps, psnr,
                check.Length == 1 ? check[0] : double.NaN);
        }).ToList();
        var last = runs[^1].Config<GridPoint>();
        return new Data(loaded, last.Resolution, last.Iterations);
    }

    // The settings both configurations share, read from either's JSON.
    sealed record GridPoint
    {
        public string[] Methods { get; init; } = [];
        public int[] Phantoms { get; init; } = [];
        public int Resolution { get; init; }
        public int Iterations { get; init; }
        public string SingleMethod() => Methods.Length == 1 ? Methods[0] : throw new InvalidDataException($"a run has one method, not {Methods.Length}");
        public int SinglePhantom() => Phantoms.Length == 1 ? Phantoms[0] : throw new InvalidDataException($"a run has one phantom, not {Phantoms.Length}");
    }

    // A grey image or volume slice of a run: (rows, columns, values).
    public static (int Rows, int Cols, double[] Values) Slice(ResultsDbContext db, long runId, string name)
    {
        var a = db.RequireArray(runId, name);
        switch (a.Shape.Length)
        {
            case 2: return ((int)a.Shape[0], (int)a.Shape[1], a.Data);
            case 3:
                int r = (int)a.Shape[0], rows = (int)a.Shape[1], cols = (int)a.Shape[2];
                return (rows, cols, a.Data.Skip(r / 2 * rows * cols).Take(rows * cols).ToArray()); // the middle z-slice
            default: throw new InvalidDataException($"run {runId}: array '{name}' has shape [{string.Join(", ", a.Shape)}], not an image or a volume");
        }
    }
}
