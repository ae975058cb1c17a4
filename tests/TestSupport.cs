using System.Security.Cryptography;
using SkiaSharp;

// Torch tests must not fight over the 2 cores, and they share torch's global thread pool: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FourierRepro.Tests;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("fourier-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public static class Hosts
{
    public static Task<int> Experiments(params string[] args) => FourierRepro.Experiments.Hosting.Cli.RunAsync(args);
    public static Task<int> Experiments(CancellationToken token, params string[] args) => FourierRepro.Experiments.Hosting.Cli.RunAsync(args, token);
    public static Task<int> Analysis(params string[] args) => FourierRepro.Analysis.Cli.RunAsync(args, TextWriter.Null);
    public static Task<int> Analysis(TextWriter output, params string[] args) => FourierRepro.Analysis.Cli.RunAsync(args, output);
}

public static class Files
{
    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    // Decodes a PNG and returns its size and the share of non-white pixels in a horizontal band (for "is there text").
    public static (int Width, int Height) DecodePng(string path)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode as an image");
        return (bitmap.Width, bitmap.Height);
    }

    public static double InkFraction(string path, int top, int bottom, int left = 0, int right = int.MaxValue)
    {
        using var bitmap = SKBitmap.Decode(path)!;
        int ink = 0, total = 0;
        for (int y = top; y < Math.Min(bottom, bitmap.Height); y++)
            for (int x = left; x < Math.Min(right, bitmap.Width); x++)
            {
                var c = bitmap.GetPixel(x, y);
                total++;
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
            }
        return total == 0 ? 0 : (double)ink / total;
    }
}

public static class Check
{
    // A claim evaluated on networks that learned nothing: evaluated (with a test and a control), its effect absent,
    // its control's too, and so not reproduced.
    public static void NotReproducedByUntrained(FourierRepro.Analysis.Claim claim, FourierRepro.Analysis.ClaimResult? result)
    {
        Assert.True(result is { NotEvaluatedReason: null, Control: not null, Test: not null }, $"{claim.Id} was not evaluated: {result?.Details}");
        Assert.False(result!.EffectHolds, $"{claim.Id} holds on untrained networks: {result.Measured:G4}; {result.Details}");
        Assert.False(result.Control!.EffectHolds, $"{claim.Id}'s control holds on untrained networks: {result.Control.Details}");
        Assert.False(FourierRepro.Analysis.Claims.ClaimEvaluator.Decide(claim, result).Holds, $"{claim.Id} reproduced on untrained networks");
    }

    // STYLE 5: every numeric assertion names its tolerance and checks finiteness first.
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: actual {actual} is not finite");
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:G6}, actual {actual:G6}, tolerance {tolerance:G3}");
    }

    public static void RelClose(double expected, double actual, double relTolerance, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: actual {actual} is not finite");
        double rel = Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(rel <= relTolerance, $"{what}: expected {expected:G6}, actual {actual:G6}, relative error {rel:G3} > tolerance {relTolerance:G3}");
    }
}

public static class TestModule
{
    // Tests call torch before touching any Experiments type: apply the native settings first (see NativeRuntime).
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Init() => FourierRepro.Experiments.Hosting.NativeRuntime.Apply();
}
