using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.Images;

// The two datasets of Tancik et al. Table 1, as this project has them: "natural" = public-domain / CC0
// photographs shipped in data/natural (stand-ins for the paper's DIV2K crops, which cannot be fetched here; see
// data/natural/LICENSES.md), "text" = random text images generated from a seed with the fonts in data/fonts.
// Both folders are copied next to the executable at build time.
public static class ImageDatasets
{
    public const string Natural = ImageRegressionConfig.Natural, Text = ImageRegressionConfig.Text;

    public static string DataDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "data");

    public static string NaturalPath(string file) => Path.Combine(DataDirectory, "natural", file);
    public static string FontPath(string file) => Path.Combine(DataDirectory, "fonts", file);

    public static SquareImage LoadNatural(string file, int size) => ImageFiles.LoadSquare(NaturalPath(file), size);

    // Text image `index` of the dataset generated from `textSeed`: the same picture whatever the run's seed.
    public static SquareImage GenerateText(int index, int textSeed, int size, IEnumerable<string> fontFiles) =>
        TextImages.Generate(ImageRegressionConfig.TextImageName(index), size, Rng.Derive(textSeed, $"text-image-{index}"), fontFiles.Select(FontPath).ToList());

    // Problems with the data files a configuration names, for Validate (so that a missing file stops the plan
    // before any run starts, with the file named).
    public static IEnumerable<string> MissingFiles(IEnumerable<string> naturalImages, IEnumerable<string> fontFiles)
    {
        foreach (var f in naturalImages)
            if (!File.Exists(NaturalPath(f))) yield return $"natural image '{f}' not found: {NaturalPath(f)}";
        foreach (var f in fontFiles)
            if (!File.Exists(FontPath(f))) yield return $"font '{f}' not found: {FontPath(f)}";
    }
}
