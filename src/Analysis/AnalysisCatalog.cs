using FourierRepro.Analysis.Ntk;
using FourierRepro.Analysis.SpectralBias;

namespace FourierRepro.Analysis;

// Every analysis module, in report order. One line per experiment family.
public static class AnalysisCatalog
{
    public static IReadOnlyList<IAnalysisModule> All { get; } =
    [
        new SpectralBiasAnalysis(),
        new NtkKernelsAnalysis(),
        new NtkConvergenceAnalysis(),
    ];
}
