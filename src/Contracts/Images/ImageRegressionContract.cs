namespace FourierRepro.Contracts;

// What an image-regression run records (Tancik Table 1, Fig. 1): ImageFitContract's PSNR series, target and
// prediction. The grid vocabulary (datasets, mappings, image names) is ImageRegressionConfig's.
public static class ImageRegressionContract
{
    public const string Experiment = "image-regression";

    public static IReadOnlyList<MetricInfo> Metrics { get; } = ImageFitContract.Metrics("image");
}
