namespace FourierRepro.Contracts;

// The methods of Tancik et al. Table 1's indirect rows (2D CT, 3D MRI), as the configurations and the analysis spell
// them: a coordinate MLP through one of four input mappings, or "gridopt", the pixels/voxels themselves optimised
// through the same forward model (the reference notebooks' baseline: what the MLP prior buys).
public static class ReconstructionNames
{
    public const string None = "none", Basic = "basic", PosEnc = "posenc", Gaussian = "gaussian", GridOpt = "gridopt";
    public static readonly string[] Mappings = [None, Basic, PosEnc, Gaussian];    // Table 1's rows, worst to best
    public static readonly string[] Methods = [None, Basic, PosEnc, Gaussian, GridOpt];

    public static bool IsMethod(string name) => Methods.Contains(name);

    // The name of test phantom `index`, as the plan labels it and the analysis lists it.
    public static string PhantomName(int index) => $"phantom-{index}";
}
