using FourierRepro.Experiments.Images;
using FourierRepro.Experiments.Regression1D;
using FourierRepro.Experiments.SpectralBias;

namespace FourierRepro.Experiments.Hosting;

// Every experiment the host can run, in the order `run all` runs them. One line per experiment.
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new SpectralBiasExperiment(),
        new ImageRegressionExperiment(),
        new ScaleSweepExperiment(),
        new Regression1DExperiment(),
    ];

    public static IExperiment? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Info.Name, name, StringComparison.OrdinalIgnoreCase));
}
