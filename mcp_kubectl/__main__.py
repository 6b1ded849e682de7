"""`python -m mcp_kubectl` is the `mcp-kubectl` command."""

from mcp_kubectl.cli import main

if __name__ == "__main__":
    main()
