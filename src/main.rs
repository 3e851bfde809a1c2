fn main() {
    std::process::exit(confide::cli::main());
}
