using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

// The empirical neural tangent kernel of a finite network: Θ(x, x′) = Σ_θ ∂f(x)/∂θ · ∂f(x′)/∂θ, the Gram matrix
// of the parameter gradients of the scalar output. Computed layer by layer without forming the gradients: layer l
// (z_l = a_{l−1} W_l + b_l) has ∂f/∂W_l = a_{l−1} ⊗ g_l and ∂f/∂b_l = g_l with g_l = ∂f/∂z_l, so its share is
// (a_{l−1}·a′_{l−1} + 1)(g_l·g′_l). Points do not interact in the forward pass, so one backward pass of Σ_i f(x_i)
// gives every g_l(x_i). Cost O(N²·width) instead of O(N·parameters); a test checks it against per-point gradients.
public static class EmpiricalNtk
{
    // x: [N, in] inputs shared by all members of `model` (Output must be 1). Returns Θ per member: [K, N, N]
    // float64 on the CPU. The forward pass is Mlp.Forward's (matmul + bias, ReLU between layers, linear output).
    public static Tensor Kernel(Mlp model, Tensor x)
    {
        if (model.Shape.Output != 1 || model.Activation != OutputActivation.Linear)
            throw new ArgumentException("the empirical NTK here is for scalar, linear-output networks");
        using var scope = torch.NewDisposeScope();
        var inputs = new List<Tensor>();      // a_{l−1}: [K, N, in_l]
        var preActivations = new List<Tensor>();
        Tensor h = x.expand(model.Members, x.shape[0], x.shape[1]);
        for (int l = 0; l < model.Weights.Count; l++)
        {
            if (l > 0) h = nn.functional.relu(h);
            inputs.Add(h.detach());
            h = torch.matmul(h, model.Weights[l]).add(model.Biases[l]);
            preActivations.Add(h);
        }
        var gradients = torch.autograd.grad([h.sum()], preActivations); // g_l: [K, N, out_l]
        Tensor theta = torch.zeros(model.Members, x.shape[0], x.shape[0], dtype: ScalarType.Float64);
        for (int l = 0; l < inputs.Count; l++)
        {
            var a = inputs[l].to(ScalarType.Float64);
            var g = gradients[l].to(ScalarType.Float64);
            theta = theta + (torch.matmul(a, a.transpose(1, 2)) + 1) * torch.matmul(g, g.transpose(1, 2));
        }
        return theta.cpu().MoveToOuterDisposeScope();
    }
}
