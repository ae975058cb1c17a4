using System.Globalization;

namespace FourierRepro.Contracts;

// What an ntk-conditioning run records, named once for the experiment that writes it and the analysis that reads it.
// Shapes: M = NtkConditioningConfig.Rows().Count mappings, N grid points, D depths, K = DepthMappings. No metrics:
// the kernels are closed-form.
public static class NtkConditioningContract
{
    public const string Experiment = "ntk-conditioning";

    public static IReadOnlyList<MetricInfo> Metrics { get; } = [];

    // Row names beside PowerMappingNames' "none" and "p=…" (not constants: constants of a contract are recorded names).
    public static readonly string Basic = "basic";       // [sin 2πx, cos 2πx] (d = 2, norm 1)
    const string GaussianPrefix = "gauss(sigma=";
    const string IntegerSuffix = ",int)";

    // Gaussian features normalised to norm 1 like the power mappings; integer: B rounded to integers, so that every
    // feature is periodic on the grid and the kernel's Gram matrix exactly circulant.
    public static string GaussianRow(double sigma, bool integer) =>
        GaussianPrefix + sigma.ToString(CultureInfo.InvariantCulture) + (integer ? IntegerSuffix : ")");

    public static bool IsGaussian(string row) => row.StartsWith(GaussianPrefix, StringComparison.Ordinal);
    public static bool IsIntegerGaussian(string row) => IsGaussian(row) && row.EndsWith(IntegerSuffix, StringComparison.Ordinal);

    // σ of a Gaussian row, NaN for any other.
    public static double Sigma(string row)
    {
        if (!IsGaussian(row)) return double.NaN;
        var text = row[GaussianPrefix.Length..].TrimEnd(')');
        if (text.EndsWith(",int", StringComparison.Ordinal)) text = text[..^4];
        return double.Parse(text, CultureInfo.InvariantCulture);
    }

    // Arrays, each recorded once at step 0.
    public const string X = CommonNames.X;                       // [N] x_j = j/N
    public const string Eigenvalues = "eigenvalues";             // [M, N] of the Gram matrix Θ(γ(x_i), γ(x_j)), sorted descending
    public const string KernelRow = "kernel_row";                // [M, N] Θ(γ(x_0), γ(x_j)), the first row
    public const string RowDftReal = "row_dft_real";             // [M, N] Re Σ_j row_j e^{−2πi kj/N} (numpy fft order, not sorted)
    public const string RowDftImag = "row_dft_imag";             // [M, N] Im of the same
    public const string ConditionNumber = "condition_number";    // [M] λ_max / λ_min (+∞ when λ_min ≤ 0 in float64)
    public const string Depths = "depths";                       // [D] the depth sweep
    public const string DepthConditionNumber = "depth_condition_number"; // [K, D] condition number per DepthMappings row and depth
}
