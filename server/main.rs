#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    acs_lint::alloc::tree_sitter_uses_mimalloc();
    acs_lint::cli::run()
}
