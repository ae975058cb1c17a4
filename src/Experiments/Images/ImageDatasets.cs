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

    // An entry of NaturalImages is a shipped photograph when it is a bare file name found in data/natural (so that the
    // shipped names, and the identities of their runs, stay what they were: a file of that name in the working folder
    // is then reached as ./name); anything else is a photograph of one's own, a path absolute or relative to the
    // working folder.
    public static bool IsShipped(string entry) => entry.Length > 0 && Path.GetFileName(entry) == entry && File.Exists(NaturalPath(entry));

    public static string OwnPath(string entry) => Path.GetFullPath(entry);

    // A photograph of one's own, decoded from the bytes whose SHA-256 is the run's `sha256` (computed by the planner):
    // a file changed since the plan was made is refused rather than trained under the old content's identity.
    public static SquareImage LoadOwn(string path, string sha256, int size)
    {
        byte[] bytes;
        try { bytes = InputFiles.Read(path); }
        catch (InputFileException e) { throw new ImageLoadException($"natural image {e.Message}", e); }
        var actual = InputFiles.Sha256(bytes);
        if (actual != sha256) throw new ImageLoadException($"natural image {path} changed since the plan was made (SHA-256 {actual}, planned {sha256}): run again");
        return ImageFiles.LoadSquare(bytes, path, size);
    }

    // The problem with a photograph of one's own, or null when it reads and decodes (so that a wrong file stops the
    // plan before any run starts, with the file named).
    public static string? OwnImageProblem(string entry)
    {
        var path = OwnPath(entry);
        if (Path.GetFileName(entry) == entry && !File.Exists(path))
            return $"natural image '{entry}' not found: neither {NaturalPath(entry)} (shipped) nor {path}";
        try { ImageFiles.Decode(InputFiles.Read(path), path); return null; }
        catch (InputFileException e) { return $"natural image '{entry}': {e.Message}"; }
        catch (ImageLoadException e) { return $"natural image '{entry}': {e.Message}"; }
    }

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
