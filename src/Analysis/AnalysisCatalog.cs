using FourierRepro.Analysis.SamplingWidth;
using FourierRepro.Analysis.SpectralBias;

namespace FourierRepro.Analysis;

// Every analysis module, in report order. One line per experiment family.
public static class AnalysisCatalog
{
    public static IReadOnlyList<IAnalysisModule> All { get; } =
    [
        new SpectralBiasAnalysis(),
        new SamplingWidthAnalysis(),
    ];
}
