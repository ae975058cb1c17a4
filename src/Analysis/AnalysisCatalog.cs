using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Regression1D;
using FourierRepro.Analysis.SpectralBias;

namespace FourierRepro.Analysis;

// Every analysis module, in report order. One line per experiment family.
public static class AnalysisCatalog
{
    public static IReadOnlyList<IAnalysisModule> All { get; } =
    [
        new SpectralBiasAnalysis(),
        new ImageRegressionAnalysis(),
        new ScaleSweepAnalysis(),
        new Regression1DAnalysis(),
    ];
}
