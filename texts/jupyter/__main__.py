"""``python -m texts.jupyter -f CONNECTION_FILE``: start the kernel (Jupyter runs this)."""

from ipykernel.kernelapp import IPKernelApp

from texts.jupyter.kernel import TextsKernel

if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=TextsKernel)
