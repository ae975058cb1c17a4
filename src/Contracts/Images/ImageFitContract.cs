namespace FourierRepro.Contracts;

// What one coordinate-MLP image fit records (Experiments' ImageFit, used by image-regression and scale-sweep), named
// once for the experiments that write it and the analysis that reads it. Shapes: an S × S RGB image.
public static class ImageFitContract
{
    // Metric series, one value per recorded frame (iteration 0, RecordEvery, …, Iterations): PSNR = −10 log10 MSE, peak 1.
    public const string TrainPsnr = "psnr_train"; // on the even/even training pixels, before the update of that iteration
    public const string TestPsnr = "psnr_test";   // on the held-out odd/odd pixels (the paper's Table 1)
    public const string FullPsnr = "psnr_full";   // on every pixel (the project page's sweep video)

    public static IReadOnlyList<MetricInfo> Metrics(string imageSize) =>
    [
        new(TrainPsnr, MetricGoal.Maximize, "dB", $"PSNR on the training pixels (even rows and columns of the {imageSize} image), before the update of that iteration"),
        new(TestPsnr, MetricGoal.Maximize, "dB", "PSNR on the held-out odd/odd pixels (a quarter of the image), as in the paper's Table 1"),
        new(FullPsnr, MetricGoal.Maximize, "dB", "PSNR on every pixel of the image (training pixels included), as the project page's sweep video reports"),
    ];

    // Arrays, RGB in [0, 1], row 0 at the top.
    public const string Target = CommonNames.Target;         // [S, S, 3] step 0: the image (recorded by the experiment)
    public const string Prediction = CommonNames.Prediction; // [S, S, 3] step Iterations: the trained network on every pixel
}
