namespace FourierRepro.Contracts;

// Which infinite- or finite-width NTK formula a kernel is computed with.
public enum NtkParameterization
{
    Standard, // neural-tangents 0.2.2 'standard' (Tancik's code): width-dependent, with the bias "+1" even when b_std = 0
    Ntk,      // Jacot et al.: Θ^{l+1} = Σ^{l+1} + Θ^l Σ̇^{l+1}
}
