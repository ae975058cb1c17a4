using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Manifold;
using FourierRepro.Analysis.NtkConditioning;
using FourierRepro.Analysis.Perturbation;
using FourierRepro.Analysis.Reconstruction;
using FourierRepro.Analysis.Regression1D;
using FourierRepro.Analysis.SamplingWidth;
using FourierRepro.Analysis.SpectralBias;
using FourierRepro.Analysis.SpectrumDecay;

namespace FourierRepro.Analysis;

// Every analysis module, in report order. One line per experiment family.
public static class AnalysisCatalog
{
    public static IReadOnlyList<IAnalysisModule> All { get; } =
    [
        new SpectralBiasAnalysis(),
        new PerturbationAnalysis(),
        new ReluSpectrumDecayAnalysis(),
        new ManifoldAnalysis(),
        new NtkKernelsAnalysis(),
        new NtkConvergenceAnalysis(),
        new NtkConditioningAnalysis(),
        new SamplingWidthAnalysis(),
        new ImageRegressionAnalysis(),
        new ScaleSweepAnalysis(),
        new Regression1DAnalysis(),
        ReconstructionAnalysis.Ct,
        ReconstructionAnalysis.Mri,
    ];
}
