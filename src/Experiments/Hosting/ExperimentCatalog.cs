using FourierRepro.Experiments.Images;
using FourierRepro.Experiments.Manifold;
using FourierRepro.Experiments.NtkConditioning;
using FourierRepro.Experiments.Perturbation;
using FourierRepro.Experiments.Reconstruction;
using FourierRepro.Experiments.Regression1D;
using FourierRepro.Experiments.SamplingWidth;
using FourierRepro.Experiments.SpectralBias;
using FourierRepro.Experiments.SpectrumDecay;

namespace FourierRepro.Experiments.Hosting;

// Every experiment the host can run, in the order `run all` runs them. One line per experiment.
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new SpectralBiasExperiment(),
        new PerturbationRobustnessExperiment(),
        new ReluSpectrumDecayExperiment(),
        new ManifoldSpectralBiasExperiment(),
        new NtkKernelsExperiment(),
        new NtkConvergenceExperiment(),
        new NtkConditioningExperiment(),
        new SamplingWidthExperiment(),
        new ImageRegressionExperiment(),
        new ScaleSweepExperiment(),
        new Regression1DExperiment(),
        new CtReconstructionExperiment(),
        new MriReconstructionExperiment(),
    ];

    public static IExperiment? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Info.Name, name, StringComparison.OrdinalIgnoreCase));
}
