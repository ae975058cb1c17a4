namespace FourierRepro.Contracts;

// What an ntk-kernels run records (Tancik Fig. 2), named once for the experiment that writes it and the analysis
// that reads it. Shapes: H heat-map points, P powers, R row points. No metrics: the kernels are closed-form.
public static class NtkKernelsContract
{
    public const string Experiment = "ntk-kernels";

    public static IReadOnlyList<MetricInfo> Metrics { get; } = [];

    // Arrays, each recorded once at step 0.
    public const string HeatmapV = "heatmap_v";          // [H] v = x/2π in [−0.5, 0.5]
    public const string KernelNone = "kernel_none";      // [H, H] raw input x = 2πv
    public const string KernelBasic = "kernel_basic";    // [H, H] basic mapping [sin x, cos x]
    public const string Powers = "powers";               // [P] p of each row (+∞ for p=inf)
    public const string RowX = "row_x";                  // [R] x_j = j/R
    public const string KernelRow = "kernel_row";        // [P, R] Θ(γ(x_j), γ(0))
    public const string KernelRowDft = "kernel_row_dft"; // [P, R] |DFT| of each row (numpy fft order, not shifted)
}
