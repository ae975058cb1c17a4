using FourierRepro.Storage;

namespace FourierRepro.Analysis.Images;

// One image-fitting run (image-regression or scale-sweep) as the figures and claims need it: final PSNRs and the
// PSNR curves (from iteration 0: the untrained network, the claims' negative control). Images are read separately (they are large).
public sealed record ImageRun(
    long RunId, int Seed, string Dataset, string Mapping, string Image, double Log2Sigma,
    long[] Steps, double[] Train, double[] Test, double[] Full)
{
    public double FinalTrain => Train[^1];
    public double FinalTest => Test[^1];
    public double FinalFull => Full[^1];
    public double InitialTrain => Steps[0] == 0 ? Train[0] : throw Unrecorded();
    public double InitialTest => Steps[0] == 0 ? Test[0] : throw Unrecorded();

    InvalidDataException Unrecorded() => new($"run {RunId}: the PSNR series starts at iteration {Steps[0]}, not at the untrained network (0)");
}

public static class ImageRunData
{
    public static ImageRun Load(ResultsDbContext db, RunRecord run, string dataset, string mapping, string image, double log2Sigma = double.NaN)
    {
        var (steps, train) = db.MetricSeries(run.Id, ImageFitContract.TrainPsnr);
        var test = db.MetricSeries(run.Id, ImageFitContract.TestPsnr).Values;
        var full = db.MetricSeries(run.Id, ImageFitContract.FullPsnr).Values;
        if (steps.Length == 0 || test.Length != steps.Length || full.Length != steps.Length)
            throw new InvalidDataException($"run {run.Id}: PSNR series missing or of different lengths");
        return new ImageRun(run.Id, run.Seed, dataset, mapping, image, log2Sigma, steps, train, test, full);
    }

    // An RGB array [size, size, 3] of a run (ImageFitContract.Target or Prediction) as (size, values in [0, 1]).
    public static (int Size, double[] Rgb) ReadImage(ResultsDbContext db, long runId, string name)
    {
        var a = db.RequireArray(runId, name);
        if (a.Shape.Length != 3 || a.Shape[0] != a.Shape[1] || a.Shape[2] != 3)
            throw new InvalidDataException($"run {runId}: array '{name}' has shape [{string.Join(", ", a.Shape)}], not [size, size, 3]");
        return ((int)a.Shape[0], a.Data);
    }
}
