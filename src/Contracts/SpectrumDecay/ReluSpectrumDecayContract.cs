namespace FourierRepro.Contracts;

// What a relu-spectrum-decay run records (Rahaman Theorem 1). S network states (initialisation, then trained),
// B spectrum bins, P plotted points. Per-state values are recorded at the state's step (0 = initialisation).
public static class ReluSpectrumDecayContract
{
    public const string Experiment = "relu-spectrum-decay";

    // Metric series, one value per state (step 0 = initialisation) or per training frame (loss).
    public const string Loss = CommonNames.Loss;
    public const string Exponent = "exponent";
    public const string ExponentUncorrected = "exponent_uncorrected";
    public const string LinearPieces = "linear_pieces";

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(Loss, MetricGoal.Minimize, "MSE", "training loss (mean squared error over the 200 points), before the update of that iteration"),
        new(Exponent, MetricGoal.None, "", "fitted exponent of |f(k)| ~ k^p over the fit range, endpoint-corrected spectrum (step 0: initialisation, last step: trained)"),
        new(ExponentUncorrected, MetricGoal.None, "", "the same fit without removing the line through the ends (the periodic extension's jump adds a 1/k tail)"),
        new(LinearPieces, MetricGoal.None, "", "linear pieces of the network on [0, 1] resolved on the grid (1 + runs of non-zero second differences)"),
    ];

    // Arrays.
    public const string Target = CommonNames.Target;                        // [N] at step 0
    public const string FitBandK = "fit_band_k";                  // [bands] per state's step: band centres
    public const string FitBandAmplitude = "fit_band_amplitude";  // [bands] per state's step: band RMS
    public const string FitLine = "fit_line";                     // [2] per state's step: exponent, log10 intercept
    public const string StateSteps = "state_steps";               // [S] at step 0
    public const string Spectrum = CommonNames.Spectrum;                    // [S, B] endpoint-corrected |DFT|/M
    public const string SpectrumUncorrected = "spectrum_uncorrected"; // [S, B]
    public const string FunctionX = "function_x";                 // [P]
    public const string Function = "function";                    // [S, P] the network at the plotted points
}
