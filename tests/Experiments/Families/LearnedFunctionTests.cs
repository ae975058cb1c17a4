using FourierRepro.Analysis.SpectralBias;
using FourierRepro.Storage;

namespace FourierRepro.Tests;

public sealed class LearnedFunctionFrameTests
{
    // A run with 11 frames in which frequency i (of 6) reaches half amplitude at frame 1 + 2i (never for i = 5).
    static SpectralBiasRun Run()
    {
        const int frames = 11, k = 6;
        var normalized = new double[frames * k];
        for (int f = 0; f < frames; f++)
            for (int i = 0; i < k; i++)
                normalized[f * k + i] = i < 5 && f >= 1 + 2 * i ? 0.9 : 0.1;
        return new SpectralBiasRun(1, "equal", Enumerable.Range(0, frames).Select(f => 100.0 * f).ToArray(),
            [5, 10, 15, 20, 25, 30], [1, 1, 1, 1, 1, 1], new NdArray([frames, k], normalized), []);
    }

    [Fact]
    public void Panels_are_where_a_third_two_thirds_and_all_of_the_fitted_frequencies_arrive_and_the_last_frame()
    {
        // Five frequencies end up fitted: 2 (a third, rounded up) at frame 3, 4 at frame 7, 5 at frame 9; and the last frame 10.
        Assert.Equal([3, 7, 9, 10], SpectralBiasAnalysis.LearnedFunctionFrames(Run(), 0.5));
    }

    [Fact]
    public void With_nothing_fitted_the_panels_halve_towards_the_start()
    {
        Assert.Equal([1, 2, 5, 10], SpectralBiasAnalysis.LearnedFunctionFrames(Run(), 0.95));
    }
}

[Collection(SmokeSuiteCollection.Name)]
public sealed class LearnedFunctionEndToEndTests(SmokeSuite suite)
{
    [Fact]
    public void Figure_has_a_function_row_and_a_spectrum_row()
    {
        var png = suite.Figure("fig2-learned-function");
        var (w, h) = Files.DecodePng(png);
        Assert.Equal(960, h);
        Assert.InRange(w, 2 * 640, 4 * 640);
        Assert.Equal(0, w % 640);
        Assert.True(Files.InkFraction(png, 60, 420, 80, 560) > 0.02, "the first function panel is empty");
        Assert.True(Files.InkFraction(png, 540, 900, 80, 560) > 0.02, "the first spectrum panel is empty");
    }
}
