using TorchSharp;

namespace FourierRepro.Experiments.Hosting;

public static class TorchSetup
{
    // auto: CUDA when this build references the CUDA libtorch and a GPU is visible, else the CPU.
    public static torch.Device SelectDevice(string requested) => requested switch
    {
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new ConfigException("--device cuda: no CUDA device is available to this build (the default build uses the CPU libtorch; build with -p:TorchBackend=cuda on a GPU machine)"),
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ => throw new ConfigException($"unknown device '{requested}' (known: auto, cpu, cuda)"),
    };

    // Threads are set once per process: torch's intra-op pool is global.
    public static int ConfigureThreads(int requested)
    {
        int threads = requested > 0 ? requested : Environment.ProcessorCount;
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        Core.TorchThreads.Max = threads;
        return threads;
    }
}
