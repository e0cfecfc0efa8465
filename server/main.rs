fn main() -> std::process::ExitCode {
    acs_lint::cli::run()
}
