//! tree-sitter's C code allocates every syntax node with its own allocator (libc's by default).
//! The binaries route it to mimalloc, their Rust allocator too: parsing allocates many small
//! objects, and libc's malloc and free showed in profiles of `check`.

use std::ffi::c_void;

unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
    // SAFETY: plain allocation; a null result (out of memory) ends the process, as
    // tree-sitter's own wrapper around malloc does.
    let p = unsafe { libmimalloc_sys::mi_malloc(size) };
    if p.is_null() && size != 0 {
        std::process::abort();
    }
    p
}

unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut c_void {
    let Some(total) = count.checked_mul(size) else {
        std::process::abort();
    };
    // SAFETY: `p` points to `total` writable bytes just allocated.
    unsafe {
        let p = ts_malloc(total);
        std::ptr::write_bytes(p.cast::<u8>(), 0, total);
        p
    }
}

unsafe extern "C" fn ts_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: `ptr` is null or came from this allocator (tree-sitter only frees or
    // reallocates what it allocated through these functions).
    let p = unsafe { libmimalloc_sys::mi_realloc(ptr, size) };
    if p.is_null() && size != 0 {
        std::process::abort();
    }
    p
}

unsafe extern "C" fn ts_free(ptr: *mut c_void) {
    // SAFETY: as for `ts_realloc`.
    unsafe { libmimalloc_sys::mi_free(ptr) }
}

/// Makes tree-sitter allocate with mimalloc. Call it first thing in `main`, before any other
/// tree-sitter call and before starting threads.
pub fn tree_sitter_uses_mimalloc() {
    // SAFETY: the four functions are one allocator family, never return null for a non-zero
    // size, and align as malloc does; this runs before any tree-sitter object exists and
    // before other threads start.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_malloc,
            calloc: ts_calloc,
            realloc: ts_realloc,
            free: ts_free,
        }));
    }
}
