/**
 * The pages' whole stylesheet, inlined into each page (one round trip on a slow phone connection) and allowed
 * by its hash in the Content-Security-Policy. Mobile first: one column, nothing wider than a 360 px screen.
 */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#f4f6f5;overflow-wrap:anywhere}
a{color:#0a6b3d}
header.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.6rem 1rem;background:#0a6b3d;color:#fff}
header.bar a{color:#fff}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}
header.bar nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .9rem}
header.bar form{margin:0}
.linkish{background:none;border:0;padding:0;margin:0;color:inherit;font:inherit;text-decoration:underline;cursor:pointer;width:auto}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.45rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
section.card{background:#fff;border:1px solid #d8dedb;border-radius:.6rem;padding:1rem;margin:0 0 1rem}
.field{margin:0 0 1rem}
.field label,.legend{display:block;font-weight:600;margin:0 0 .15rem}
.optional{font-weight:400;color:#5b6670}
.help{margin:0 0 .35rem;color:#4b5660;font-size:.9rem}
.error{margin:0 0 .35rem;color:#b00020;font-weight:600;font-size:.95rem}
.has-error input,.has-error select{border-color:#b00020;border-width:2px}
input,select,textarea,button{font:inherit;max-width:100%}
input[type=text],input[type=email],input[type=password],input[type=tel],input[type=number],select{width:100%;padding:.55rem .6rem;border:1px solid #8a969f;border-radius:.4rem;background:#fff}
input[type=number].qty{width:5.5rem}
fieldset{border:0;padding:0;margin:0 0 1rem;min-width:0}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choice{display:flex;align-items:flex-start;gap:.5rem;flex:1 1 12rem;border:1px solid #8a969f;border-radius:.4rem;padding:.55rem .6rem;background:#fff;font-weight:400}
.choice input{margin-top:.3rem}
.choice:has(input:checked){border-color:#0a6b3d;box-shadow:0 0 0 2px #0a6b3d}
form:has(#method-paybill:checked) .till-only,form:has(#method-till:checked) .paybill-only{display:none}
button,.button{display:inline-block;width:100%;padding:.65rem 1rem;border:0;border-radius:.4rem;background:#0a6b3d;color:#fff;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button:disabled{opacity:.6;cursor:progress}
.button.secondary,button.secondary{background:#e3ebe7;color:#0a3d24}
.alert{border-radius:.4rem;padding:.65rem .8rem;margin:0 0 1rem;border:1px solid}
.alert.error{background:#fdecee;border-color:#e7a0a9;color:#7a0016;font-weight:400}
.alert.info{background:#eef5fb;border-color:#a9c8e4}
.alert.ok{background:#e9f7ef;border-color:#92cfab}
.status{border-radius:.4rem;padding:.65rem .8rem;margin:0 0 1rem;border:1px solid #a9c8e4;background:#eef5fb}
.status[data-status=paid]{background:#e9f7ef;border-color:#92cfab}
.status[data-status=failed],.status[data-status=cancelled],.status[data-status=expired]{background:#fdecee;border-color:#e7a0a9}
.status strong{display:block}
.rows{list-style:none;margin:0;padding:0}
.rows li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.15rem .75rem;padding:.5rem 0;border-bottom:1px solid #e6ebe8}
.rows li:last-child{border-bottom:0}
.muted{color:#5b6670;font-size:.9rem}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;background:#e3ebe7}
.badge.paid{background:#cdebd9}.badge.pending{background:#dbe8f5}
.badge.failed,.badge.cancelled,.badge.expired{background:#f6d3d8}
.balance{font-size:1.6rem;font-weight:700;margin:0 0 .75rem}
.summary{margin:0 0 1rem;padding:0}
.summary div{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem;padding:.3rem 0;border-bottom:1px solid #e6ebe8}
.summary dt{color:#4b5660}.summary dd{margin:0;font-weight:600}
details{margin:0 0 1rem}
summary{cursor:pointer;color:#0a6b3d;font-weight:600;margin:0 0 .5rem}
.item{display:flex;align-items:center;justify-content:space-between;gap:.5rem;padding:.4rem 0;border-bottom:1px solid #e6ebe8}
.item label{font-weight:400;margin:0}
@media (min-width:40rem){button,.button{width:auto}}
`;
